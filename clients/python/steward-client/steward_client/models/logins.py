from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.login_out import LoginOut


T = TypeVar("T", bound="Logins")


@_attrs_define
class Logins:
    """Log-in records.

    Attributes:
        logins (list[LoginOut]): Newest first.
    """

    logins: list[LoginOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        logins = []
        for logins_item_data in self.logins:
            logins_item = logins_item_data.to_dict()
            logins.append(logins_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "logins": logins,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.login_out import LoginOut  # noqa: PLC0415

        d = dict(src_dict)
        logins = []
        _logins = d.pop("logins")
        for logins_item_data in _logins:
            logins_item = LoginOut.from_dict(logins_item_data)

            logins.append(logins_item)

        logins = cls(
            logins=logins,
        )

        logins.additional_properties = d
        return logins

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
