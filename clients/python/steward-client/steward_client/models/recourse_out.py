from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RecourseOut")


@_attrs_define
class RecourseOut:
    """The independent recourse offered (CONTACT-03).

    Attributes:
        free_of_charge (bool): It costs the complainant nothing (DPF-05).
        provider (str): The provider.
        url (str): Its link.
    """

    free_of_charge: bool
    provider: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        free_of_charge = self.free_of_charge

        provider = self.provider

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "free_of_charge": free_of_charge,
                "provider": provider,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        free_of_charge = d.pop("free_of_charge")

        provider = d.pop("provider")

        url = d.pop("url")

        recourse_out = cls(
            free_of_charge=free_of_charge,
            provider=provider,
            url=url,
        )

        recourse_out.additional_properties = d
        return recourse_out

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
