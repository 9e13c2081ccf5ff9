from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SubjectOut")


@_attrs_define
class SubjectOut:
    """A stored subject (no identities: they are kept only as blind-index tokens).

    Attributes:
        created_at (str): Created.
        id (str): The id.
        kind (str): Kind.
        revision (int): Revision (1 at creation).
        updated_at (str): Last updated.
        age (int | None | Unset): Age in years, when known.
        age_band (None | str | Unset): Age band: `under_13`, `13_15`, `16_17`, `adult`.
        erased_at (None | str | Unset): Erased (its data is gone).
        eu_protected_since (None | str | Unset): EU data subject since this time.
        jurisdiction (None | str | Unset): Residency.
    """

    created_at: str
    id: str
    kind: str
    revision: int
    updated_at: str
    age: int | None | Unset = UNSET
    age_band: None | str | Unset = UNSET
    erased_at: None | str | Unset = UNSET
    eu_protected_since: None | str | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = self.id

        kind = self.kind

        revision = self.revision

        updated_at = self.updated_at

        age: int | None | Unset
        if isinstance(self.age, Unset):
            age = UNSET
        else:
            age = self.age

        age_band: None | str | Unset
        if isinstance(self.age_band, Unset):
            age_band = UNSET
        else:
            age_band = self.age_band

        erased_at: None | str | Unset
        if isinstance(self.erased_at, Unset):
            erased_at = UNSET
        else:
            erased_at = self.erased_at

        eu_protected_since: None | str | Unset
        if isinstance(self.eu_protected_since, Unset):
            eu_protected_since = UNSET
        else:
            eu_protected_since = self.eu_protected_since

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "kind": kind,
                "revision": revision,
                "updated_at": updated_at,
            }
        )
        if age is not UNSET:
            field_dict["age"] = age
        if age_band is not UNSET:
            field_dict["age_band"] = age_band
        if erased_at is not UNSET:
            field_dict["erased_at"] = erased_at
        if eu_protected_since is not UNSET:
            field_dict["eu_protected_since"] = eu_protected_since
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = d.pop("id")

        kind = d.pop("kind")

        revision = d.pop("revision")

        updated_at = d.pop("updated_at")

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        def _parse_age_band(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        age_band = _parse_age_band(d.pop("age_band", UNSET))

        def _parse_erased_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        erased_at = _parse_erased_at(d.pop("erased_at", UNSET))

        def _parse_eu_protected_since(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        eu_protected_since = _parse_eu_protected_since(d.pop("eu_protected_since", UNSET))

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        subject_out = cls(
            created_at=created_at,
            id=id,
            kind=kind,
            revision=revision,
            updated_at=updated_at,
            age=age,
            age_band=age_band,
            erased_at=erased_at,
            eu_protected_since=eu_protected_since,
            jurisdiction=jurisdiction,
        )

        subject_out.additional_properties = d
        return subject_out

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
