from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.event_outcome import EventOutcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="EventResult")


@_attrs_define
class EventResult:
    """What happened to one event not stored exactly as sent.

    Attributes:
        index (int): Position in the batch.
        outcome (EventOutcome): What happened to one event.
        reason (str): Why (`CONSENT_REQUIRED`, `OPTED_OUT`, `NO_RULE`, `PURPOSE_NOT_ALLOWED`, `BAD_IP`,
            `MALFORMED_EVENT` …).
        message (None | str | Unset): For a rejected event: what is wrong (no personal data).
        stripped (list[str] | Unset): For a stripped event: the fields removed.
    """

    index: int
    outcome: EventOutcome
    reason: str
    message: None | str | Unset = UNSET
    stripped: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        outcome = self.outcome.value

        reason = self.reason

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        stripped: list[str] | Unset = UNSET
        if not isinstance(self.stripped, Unset):
            stripped = self.stripped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "outcome": outcome,
                "reason": reason,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message
        if stripped is not UNSET:
            field_dict["stripped"] = stripped

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        outcome = EventOutcome(d.pop("outcome"))

        reason = d.pop("reason")

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        stripped = cast(list[str], d.pop("stripped", UNSET))

        event_result = cls(
            index=index,
            outcome=outcome,
            reason=reason,
            message=message,
            stripped=stripped,
        )

        event_result.additional_properties = d
        return event_result

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
