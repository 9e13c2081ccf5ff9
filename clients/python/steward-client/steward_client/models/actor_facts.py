from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ActorFacts")


@_attrs_define
class ActorFacts:
    """An actor for `admin_authorize`.

    Attributes:
        grant (list[str] | None | Unset): Grant permissions: any of `view_pi`, `change_pi`, `delete_pi`.
        is_agent (bool | Unset): An authorized agent with permission. Default: False.
        is_owner (bool | Unset): The actor owns the account (or is the subject). Default: False.
        revoked_at (None | str | Unset): Grant revocation time.
        role (None | str | Unset): Staff role.
    """

    grant: list[str] | None | Unset = UNSET
    is_agent: bool | Unset = False
    is_owner: bool | Unset = False
    revoked_at: None | str | Unset = UNSET
    role: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        grant: list[str] | None | Unset
        if isinstance(self.grant, Unset):
            grant = UNSET
        elif isinstance(self.grant, list):
            grant = self.grant

        else:
            grant = self.grant

        is_agent = self.is_agent

        is_owner = self.is_owner

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        role: None | str | Unset
        if isinstance(self.role, Unset):
            role = UNSET
        else:
            role = self.role

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if grant is not UNSET:
            field_dict["grant"] = grant
        if is_agent is not UNSET:
            field_dict["is_agent"] = is_agent
        if is_owner is not UNSET:
            field_dict["is_owner"] = is_owner
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at
        if role is not UNSET:
            field_dict["role"] = role

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_grant(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                grant_type_0 = cast(list[str], data)

                return grant_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        grant = _parse_grant(d.pop("grant", UNSET))

        is_agent = d.pop("is_agent", UNSET)

        is_owner = d.pop("is_owner", UNSET)

        def _parse_revoked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        def _parse_role(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role = _parse_role(d.pop("role", UNSET))

        actor_facts = cls(
            grant=grant,
            is_agent=is_agent,
            is_owner=is_owner,
            revoked_at=revoked_at,
            role=role,
        )

        return actor_facts
