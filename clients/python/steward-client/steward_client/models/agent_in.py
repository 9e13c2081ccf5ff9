from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentIn")


@_attrs_define
class AgentIn:
    """An authorized agent's details.

    Attributes:
        email (None | str | Unset): The agent's e-mail address.
        permission_sha256 (None | str | Unset): SHA-256 (hex) of the consumer's signed permission, when provided with
            the request.
    """

    email: None | str | Unset = UNSET
    permission_sha256: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        permission_sha256: None | str | Unset
        if isinstance(self.permission_sha256, Unset):
            permission_sha256 = UNSET
        else:
            permission_sha256 = self.permission_sha256

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if email is not UNSET:
            field_dict["email"] = email
        if permission_sha256 is not UNSET:
            field_dict["permission_sha256"] = permission_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_permission_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        permission_sha256 = _parse_permission_sha256(d.pop("permission_sha256", UNSET))

        agent_in = cls(
            email=email,
            permission_sha256=permission_sha256,
        )

        return agent_in
