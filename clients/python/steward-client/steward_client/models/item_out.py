from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ItemOut")


@_attrs_define
class ItemOut:
    """An item's record (its value stays encrypted).

    Attributes:
        category (str): Category.
        collected_at (str): Collected.
        controller_role (str): `controller` or `processor`.
        id (str): The id.
        purpose (str): Purpose of collection.
        source (str): Source.
        subject_id (str): Whose data it is.
        updated_at (str): Last changed.
        erased_at (None | str | Unset): Erased (tombstone).
        policy_version (None | str | Unset): The policy version in force when it was collected (CHG-02, SCOPE-06);
            absent for
            items stored before versions were recorded.
        retain_until (None | str | Unset): Retention deadline.
    """

    category: str
    collected_at: str
    controller_role: str
    id: str
    purpose: str
    source: str
    subject_id: str
    updated_at: str
    erased_at: None | str | Unset = UNSET
    policy_version: None | str | Unset = UNSET
    retain_until: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        collected_at = self.collected_at

        controller_role = self.controller_role

        id = self.id

        purpose = self.purpose

        source = self.source

        subject_id = self.subject_id

        updated_at = self.updated_at

        erased_at: None | str | Unset
        if isinstance(self.erased_at, Unset):
            erased_at = UNSET
        else:
            erased_at = self.erased_at

        policy_version: None | str | Unset
        if isinstance(self.policy_version, Unset):
            policy_version = UNSET
        else:
            policy_version = self.policy_version

        retain_until: None | str | Unset
        if isinstance(self.retain_until, Unset):
            retain_until = UNSET
        else:
            retain_until = self.retain_until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "collected_at": collected_at,
                "controller_role": controller_role,
                "id": id,
                "purpose": purpose,
                "source": source,
                "subject_id": subject_id,
                "updated_at": updated_at,
            }
        )
        if erased_at is not UNSET:
            field_dict["erased_at"] = erased_at
        if policy_version is not UNSET:
            field_dict["policy_version"] = policy_version
        if retain_until is not UNSET:
            field_dict["retain_until"] = retain_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        collected_at = d.pop("collected_at")

        controller_role = d.pop("controller_role")

        id = d.pop("id")

        purpose = d.pop("purpose")

        source = d.pop("source")

        subject_id = d.pop("subject_id")

        updated_at = d.pop("updated_at")

        def _parse_erased_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        erased_at = _parse_erased_at(d.pop("erased_at", UNSET))

        def _parse_policy_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        policy_version = _parse_policy_version(d.pop("policy_version", UNSET))

        def _parse_retain_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retain_until = _parse_retain_until(d.pop("retain_until", UNSET))

        item_out = cls(
            category=category,
            collected_at=collected_at,
            controller_role=controller_role,
            id=id,
            purpose=purpose,
            source=source,
            subject_id=subject_id,
            updated_at=updated_at,
            erased_at=erased_at,
            policy_version=policy_version,
            retain_until=retain_until,
        )

        item_out.additional_properties = d
        return item_out

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
