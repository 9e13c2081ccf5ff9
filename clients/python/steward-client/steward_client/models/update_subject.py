from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UpdateSubject")


@_attrs_define
class UpdateSubject:
    """Facts to change (absent fields stay as they are).

    Attributes:
        age (int | None | Unset): New age.
        eu_protected (bool | None | Unset): Set the EU flag (it cannot be cleared: EU-01).
        jurisdiction (None | str | Unset): New residency.
    """

    age: int | None | Unset = UNSET
    eu_protected: bool | None | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        age: int | None | Unset
        if isinstance(self.age, Unset):
            age = UNSET
        else:
            age = self.age

        eu_protected: bool | None | Unset
        if isinstance(self.eu_protected, Unset):
            eu_protected = UNSET
        else:
            eu_protected = self.eu_protected

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if age is not UNSET:
            field_dict["age"] = age
        if eu_protected is not UNSET:
            field_dict["eu_protected"] = eu_protected
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        def _parse_eu_protected(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        eu_protected = _parse_eu_protected(d.pop("eu_protected", UNSET))

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        update_subject = cls(
            age=age,
            eu_protected=eu_protected,
            jurisdiction=jurisdiction,
        )

        return update_subject
