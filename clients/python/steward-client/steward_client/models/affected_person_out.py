from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AffectedPersonOut")


@_attrs_define
class AffectedPersonOut:
    """One affected person.

    Attributes:
        subject_id (str): The subject id.
        jurisdiction (None | str | Unset): Their residency (`US-CA`, `DE` …), when known.
        notified_at (None | str | Unset): When their notice was queued.
    """

    subject_id: str
    jurisdiction: None | str | Unset = UNSET
    notified_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject_id = self.subject_id

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        notified_at: None | str | Unset
        if isinstance(self.notified_at, Unset):
            notified_at = UNSET
        else:
            notified_at = self.notified_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject_id": subject_id,
            }
        )
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if notified_at is not UNSET:
            field_dict["notified_at"] = notified_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject_id = d.pop("subject_id")

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_notified_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notified_at = _parse_notified_at(d.pop("notified_at", UNSET))

        affected_person_out = cls(
            subject_id=subject_id,
            jurisdiction=jurisdiction,
            notified_at=notified_at,
        )

        affected_person_out.additional_properties = d
        return affected_person_out

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
