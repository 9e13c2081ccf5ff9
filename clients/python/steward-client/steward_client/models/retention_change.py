from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RetentionChange")


@_attrs_define
class RetentionChange:
    """An item whose retention deadline the event set, moved or cleared.

    Attributes:
        item_id (str): The item.
        retain_until (None | str | Unset): Its new deadline (`null`: none, e.g. after a reopening).
    """

    item_id: str
    retain_until: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        item_id = self.item_id

        retain_until: None | str | Unset
        if isinstance(self.retain_until, Unset):
            retain_until = UNSET
        else:
            retain_until = self.retain_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "item_id": item_id,
            }
        )
        if retain_until is not UNSET:
            field_dict["retain_until"] = retain_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        item_id = d.pop("item_id")

        def _parse_retain_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retain_until = _parse_retain_until(d.pop("retain_until", UNSET))

        retention_change = cls(
            item_id=item_id,
            retain_until=retain_until,
        )

        retention_change.additional_properties = d
        return retention_change

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
