from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.complaint_out import ComplaintOut


T = TypeVar("T", bound="ComplaintList")


@_attrs_define
class ComplaintList:
    """Complaints.

    Attributes:
        complaints (list[ComplaintOut]): Soonest first response due first.
    """

    complaints: list[ComplaintOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        complaints = []
        for complaints_item_data in self.complaints:
            complaints_item = complaints_item_data.to_dict()
            complaints.append(complaints_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "complaints": complaints,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.complaint_out import ComplaintOut  # noqa: PLC0415

        d = dict(src_dict)
        complaints = []
        _complaints = d.pop("complaints")
        for complaints_item_data in _complaints:
            complaints_item = ComplaintOut.from_dict(complaints_item_data)

            complaints.append(complaints_item)

        complaint_list = cls(
            complaints=complaints,
        )

        complaint_list.additional_properties = d
        return complaint_list

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
