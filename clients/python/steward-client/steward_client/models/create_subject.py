from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.subject_kind_dto import SubjectKindDto
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.identity_in import IdentityIn


T = TypeVar("T", bound="CreateSubject")


@_attrs_define
class CreateSubject:
    """A subject to create.

    Attributes:
        age (int | None | Unset): Known age in years.
        eu_protected (bool | Unset): Known to be an EU data subject (EU-01; sticky once set).
        identities (list[IdentityIn] | Unset): Identities to attach (at most 32).
        jurisdiction (None | str | Unset): Residency (DM-04): `US-CA`, `DE`, `GB` …
        kind (None | SubjectKindDto | Unset):
    """

    age: int | None | Unset = UNSET
    eu_protected: bool | Unset = UNSET
    identities: list[IdentityIn] | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    kind: None | SubjectKindDto | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        age: int | None | Unset
        if isinstance(self.age, Unset):
            age = UNSET
        else:
            age = self.age

        eu_protected = self.eu_protected

        identities: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.identities, Unset):
            identities = []
            for identities_item_data in self.identities:
                identities_item = identities_item_data.to_dict()
                identities.append(identities_item)

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        elif isinstance(self.kind, SubjectKindDto):
            kind = self.kind.value
        else:
            kind = self.kind

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if age is not UNSET:
            field_dict["age"] = age
        if eu_protected is not UNSET:
            field_dict["eu_protected"] = eu_protected
        if identities is not UNSET:
            field_dict["identities"] = identities
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if kind is not UNSET:
            field_dict["kind"] = kind

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.identity_in import IdentityIn  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        eu_protected = d.pop("eu_protected", UNSET)

        _identities = d.pop("identities", UNSET)
        identities: list[IdentityIn] | Unset = UNSET
        if _identities is not UNSET:
            identities = []
            for identities_item_data in _identities:
                identities_item = IdentityIn.from_dict(identities_item_data)

                identities.append(identities_item)

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_kind(data: object) -> None | SubjectKindDto | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                kind_type_0 = SubjectKindDto(data)

                return kind_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SubjectKindDto | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        create_subject = cls(
            age=age,
            eu_protected=eu_protected,
            identities=identities,
            jurisdiction=jurisdiction,
            kind=kind,
        )

        return create_subject
