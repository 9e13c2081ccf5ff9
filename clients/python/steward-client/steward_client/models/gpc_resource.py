from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="GpcResource")


@_attrs_define
class GpcResource:
    """The GPC support resource.

    Attributes:
        gpc (bool): Always `true`: this site honours Global Privacy Control.
        last_update (str): When the resource last changed (the policy's effective date).
    """

    gpc: bool
    last_update: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gpc = self.gpc

        last_update = self.last_update

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gpc": gpc,
                "lastUpdate": last_update,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gpc = d.pop("gpc")

        last_update = d.pop("lastUpdate")

        gpc_resource = cls(
            gpc=gpc,
            last_update=last_update,
        )

        gpc_resource.additional_properties = d
        return gpc_resource

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
