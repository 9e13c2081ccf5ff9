from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgentOut")


@_attrs_define
class AgentOut:
    """An authorized agent's permission on record (CCPA-23). The agent's details and the
    permission itself stay sealed with the request (the console shows them to staff who hold
    `read_pii`).

        Attributes:
            permission_recorded_at (None | str | Unset): When the permission was recorded (`null`: still awaited).
            permission_sha256 (None | str | Unset): SHA-256 (hex) of the consumer's signed permission.
    """

    permission_recorded_at: None | str | Unset = UNSET
    permission_sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        permission_recorded_at: None | str | Unset
        if isinstance(self.permission_recorded_at, Unset):
            permission_recorded_at = UNSET
        else:
            permission_recorded_at = self.permission_recorded_at

        permission_sha256: None | str | Unset
        if isinstance(self.permission_sha256, Unset):
            permission_sha256 = UNSET
        else:
            permission_sha256 = self.permission_sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if permission_recorded_at is not UNSET:
            field_dict["permission_recorded_at"] = permission_recorded_at
        if permission_sha256 is not UNSET:
            field_dict["permission_sha256"] = permission_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_permission_recorded_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        permission_recorded_at = _parse_permission_recorded_at(d.pop("permission_recorded_at", UNSET))

        def _parse_permission_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        permission_sha256 = _parse_permission_sha256(d.pop("permission_sha256", UNSET))

        agent_out = cls(
            permission_recorded_at=permission_recorded_at,
            permission_sha256=permission_sha256,
        )

        agent_out.additional_properties = d
        return agent_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
