from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="NoticeOut")


@_attrs_define
class NoticeOut:
    """A notice owed.

    Attributes:
        citation (str): The law.
        id (str): The task id.
        late (bool): Sent after its due time.
        requirement (str): The requirement it honours (`GDPR-30` …).
        status (str): `open`, `near_due` (within 24 hours), `overdue` or `sent`.
        statutory (bool): The due time is the law's own (72 hours); otherwise a target for "without undue delay".
        to (str): To whom: `supervisory_authority`, `data_subjects`, `controller`,
            `state_residents:CA`, `state_regulator:CA` …
        delay_reason (None | str | Unset): Why it was late.
        due_at (None | str | Unset): Due.
        sent_at (None | str | Unset): Sent.
        sent_what (None | str | Unset): What was sent.
    """

    citation: str
    id: str
    late: bool
    requirement: str
    status: str
    statutory: bool
    to: str
    delay_reason: None | str | Unset = UNSET
    due_at: None | str | Unset = UNSET
    sent_at: None | str | Unset = UNSET
    sent_what: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        citation = self.citation

        id = self.id

        late = self.late

        requirement = self.requirement

        status = self.status

        statutory = self.statutory

        to = self.to

        delay_reason: None | str | Unset
        if isinstance(self.delay_reason, Unset):
            delay_reason = UNSET
        else:
            delay_reason = self.delay_reason

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        else:
            due_at = self.due_at

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        else:
            sent_at = self.sent_at

        sent_what: None | str | Unset
        if isinstance(self.sent_what, Unset):
            sent_what = UNSET
        else:
            sent_what = self.sent_what

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "citation": citation,
                "id": id,
                "late": late,
                "requirement": requirement,
                "status": status,
                "statutory": statutory,
                "to": to,
            }
        )
        if delay_reason is not UNSET:
            field_dict["delay_reason"] = delay_reason
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at
        if sent_what is not UNSET:
            field_dict["sent_what"] = sent_what

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        citation = d.pop("citation")

        id = d.pop("id")

        late = d.pop("late")

        requirement = d.pop("requirement")

        status = d.pop("status")

        statutory = d.pop("statutory")

        to = d.pop("to")

        def _parse_delay_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delay_reason = _parse_delay_reason(d.pop("delay_reason", UNSET))

        def _parse_due_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))

        def _parse_sent_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))

        def _parse_sent_what(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sent_what = _parse_sent_what(d.pop("sent_what", UNSET))

        notice_out = cls(
            citation=citation,
            id=id,
            late=late,
            requirement=requirement,
            status=status,
            statutory=statutory,
            to=to,
            delay_reason=delay_reason,
            due_at=due_at,
            sent_at=sent_at,
            sent_what=sent_what,
        )

        notice_out.additional_properties = d
        return notice_out

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
