from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ScanOut")


@_attrs_define
class ScanOut:
    """A scan as shown.

    Attributes:
        at (str): When.
        event (str): The event.
        zip3 (None | str | Unset): The facility's ZIP3.
    """

    at: str
    event: str
    zip3: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        event = self.event

        zip3: None | str | Unset
        if isinstance(self.zip3, Unset):
            zip3 = UNSET
        else:
            zip3 = self.zip3

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "event": event,
            }
        )
        if zip3 is not UNSET:
            field_dict["zip3"] = zip3

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        event = d.pop("event")

        def _parse_zip3(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zip3 = _parse_zip3(d.pop("zip3", UNSET))

        scan_out = cls(
            at=at,
            event=event,
            zip3=zip3,
        )

        scan_out.additional_properties = d
        return scan_out

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
