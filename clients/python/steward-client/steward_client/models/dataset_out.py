from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DatasetOut")


@_attrs_define
class DatasetOut:
    """A derived dataset with its lineage.

    Attributes:
        created_at (str): Registered.
        id (str): Id.
        lineage (list[str]): Every category it derives from, transitively (its locks are inherited).
        name (str): Name.
        parents (list[str]): Its parent datasets.
        retain_until (None | str | Unset): The strictest retention deadline of its inputs.
    """

    created_at: str
    id: str
    lineage: list[str]
    name: str
    parents: list[str]
    retain_until: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = self.id

        lineage = self.lineage

        name = self.name

        parents = self.parents

        retain_until: None | str | Unset
        if isinstance(self.retain_until, Unset):
            retain_until = UNSET
        else:
            retain_until = self.retain_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "lineage": lineage,
                "name": name,
                "parents": parents,
            }
        )
        if retain_until is not UNSET:
            field_dict["retain_until"] = retain_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = d.pop("id")

        lineage = cast(list[str], d.pop("lineage"))

        name = d.pop("name")

        parents = cast(list[str], d.pop("parents"))

        def _parse_retain_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retain_until = _parse_retain_until(d.pop("retain_until", UNSET))

        dataset_out = cls(
            created_at=created_at,
            id=id,
            lineage=lineage,
            name=name,
            parents=parents,
            retain_until=retain_until,
        )

        dataset_out.additional_properties = d
        return dataset_out

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
