from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Redactions")


@_attrs_define
class Redactions:
    """Values masked in free text.

    Attributes:
        itin (int): US Individual Taxpayer Identification Numbers.
        pan (int): Payment card numbers.
        ssn (int): US Social Security numbers.
    """

    itin: int
    pan: int
    ssn: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        itin = self.itin

        pan = self.pan

        ssn = self.ssn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "itin": itin,
                "pan": pan,
                "ssn": ssn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        itin = d.pop("itin")

        pan = d.pop("pan")

        ssn = d.pop("ssn")

        redactions = cls(
            itin=itin,
            pan=pan,
            ssn=ssn,
        )

        redactions.additional_properties = d
        return redactions

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
