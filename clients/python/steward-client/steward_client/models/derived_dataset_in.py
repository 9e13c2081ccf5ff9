from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DerivedDatasetIn")


@_attrs_define
class DerivedDatasetIn:
    """A derived dataset to register (`POST /v1/datasets`; not a connector to a database).

    Attributes:
        name (str): Its name (`[a-z0-9_:.-]{1,64}`).
        categories (list[str] | Unset): The categories it reads directly.
        parents (list[UUID] | Unset): The registered datasets it is derived from.
    """

    name: str
    categories: list[str] | Unset = UNSET
    parents: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        parents: list[str] | Unset = UNSET
        if not isinstance(self.parents, Unset):
            parents = []
            for parents_item_data in self.parents:
                parents_item = str(parents_item_data)
                parents.append(parents_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if categories is not UNSET:
            field_dict["categories"] = categories
        if parents is not UNSET:
            field_dict["parents"] = parents

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        categories = cast(list[str], d.pop("categories", UNSET))

        _parents = d.pop("parents", UNSET)
        parents: list[UUID] | Unset = UNSET
        if _parents is not UNSET:
            parents = []
            for parents_item_data in _parents:
                parents_item = UUID(parents_item_data)

                parents.append(parents_item)

        derived_dataset_in = cls(
            name=name,
            categories=categories,
            parents=parents,
        )

        return derived_dataset_in
