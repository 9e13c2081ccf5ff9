from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RevokeGrant")


@_attrs_define
class RevokeGrant:
    """Who revokes.

    Attributes:
        revoked_by (None | Unset | UUID): The person revoking (account-limited keys: the actor).
    """

    revoked_by: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        revoked_by: None | str | Unset
        if isinstance(self.revoked_by, Unset):
            revoked_by = UNSET
        elif isinstance(self.revoked_by, UUID):
            revoked_by = str(self.revoked_by)
        else:
            revoked_by = self.revoked_by

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if revoked_by is not UNSET:
            field_dict["revoked_by"] = revoked_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_revoked_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                revoked_by_type_0 = UUID(data)

                return revoked_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        revoked_by = _parse_revoked_by(d.pop("revoked_by", UNSET))

        revoke_grant = cls(
            revoked_by=revoked_by,
        )

        return revoke_grant
