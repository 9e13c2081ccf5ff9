from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DueItem")


@_attrs_define
class DueItem:
    """An item a sweep would erase or keeps for a hold.

    Attributes:
        category (str): Its category.
        clock (str): What started the clock: `collected`, `account_closed`, `last_activity`,
            `contract_end`, `ticket_closed`, or `source_erased`.
        item_id (str): The item.
        rule (str): The category's retention (`P3Y`), or `with_source` for an item derived from one that
            goes (RET-06).
        subject_id (str): Its subject.
        clock_at (None | str | Unset): When the clock started, when known.
        derived_from (None | str | Unset): The item it was derived from, when it goes with it.
        held_by (None | str | Unset): The legal hold that keeps it (`null`: it goes).
        hold_reason (None | str | Unset): The hold's reason.
        retain_until (None | str | Unset): The deadline it passed.
    """

    category: str
    clock: str
    item_id: str
    rule: str
    subject_id: str
    clock_at: None | str | Unset = UNSET
    derived_from: None | str | Unset = UNSET
    held_by: None | str | Unset = UNSET
    hold_reason: None | str | Unset = UNSET
    retain_until: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        clock = self.clock

        item_id = self.item_id

        rule = self.rule

        subject_id = self.subject_id

        clock_at: None | str | Unset
        if isinstance(self.clock_at, Unset):
            clock_at = UNSET
        else:
            clock_at = self.clock_at

        derived_from: None | str | Unset
        if isinstance(self.derived_from, Unset):
            derived_from = UNSET
        else:
            derived_from = self.derived_from

        held_by: None | str | Unset
        if isinstance(self.held_by, Unset):
            held_by = UNSET
        else:
            held_by = self.held_by

        hold_reason: None | str | Unset
        if isinstance(self.hold_reason, Unset):
            hold_reason = UNSET
        else:
            hold_reason = self.hold_reason

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
                "clock": clock,
                "item_id": item_id,
                "rule": rule,
                "subject_id": subject_id,
            }
        )
        if clock_at is not UNSET:
            field_dict["clock_at"] = clock_at
        if derived_from is not UNSET:
            field_dict["derived_from"] = derived_from
        if held_by is not UNSET:
            field_dict["held_by"] = held_by
        if hold_reason is not UNSET:
            field_dict["hold_reason"] = hold_reason
        if retain_until is not UNSET:
            field_dict["retain_until"] = retain_until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        clock = d.pop("clock")

        item_id = d.pop("item_id")

        rule = d.pop("rule")

        subject_id = d.pop("subject_id")

        def _parse_clock_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        clock_at = _parse_clock_at(d.pop("clock_at", UNSET))

        def _parse_derived_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        derived_from = _parse_derived_from(d.pop("derived_from", UNSET))

        def _parse_held_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        held_by = _parse_held_by(d.pop("held_by", UNSET))

        def _parse_hold_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hold_reason = _parse_hold_reason(d.pop("hold_reason", UNSET))

        def _parse_retain_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retain_until = _parse_retain_until(d.pop("retain_until", UNSET))

        due_item = cls(
            category=category,
            clock=clock,
            item_id=item_id,
            rule=rule,
            subject_id=subject_id,
            clock_at=clock_at,
            derived_from=derived_from,
            held_by=held_by,
            hold_reason=hold_reason,
            retain_until=retain_until,
        )

        due_item.additional_properties = d
        return due_item

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
