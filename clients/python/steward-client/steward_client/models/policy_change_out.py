from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PolicyChangeOut")


@_attrs_define
class PolicyChangeOut:
    """One change against the version recorded before (the `steward policy diff` comparison).

    Attributes:
        id (str): The id of the thing that changed.
        kind (str): `category`, `purpose`, `recipient`, `tracker`, `lock`, `setting`, `policy`.
        material (bool): Material under CHG-03.
        needs (str): What it requires: `nothing`, `notice` or `fresh_consent`.
        what (str): What changed, in words.
    """

    id: str
    kind: str
    material: bool
    needs: str
    what: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind

        material = self.material

        needs = self.needs

        what = self.what

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "material": material,
                "needs": needs,
                "what": what,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        material = d.pop("material")

        needs = d.pop("needs")

        what = d.pop("what")

        policy_change_out = cls(
            id=id,
            kind=kind,
            material=material,
            needs=needs,
            what=what,
        )

        policy_change_out.additional_properties = d
        return policy_change_out

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
