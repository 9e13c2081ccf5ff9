from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MarkNoticeSent")


@_attrs_define
class MarkNoticeSent:
    """A notice marked sent.

    Attributes:
        what (str): What was sent (a reference, the template, the channel).
        delay_reason (None | str | Unset): Why it was late — required for a late notice to the supervisory authority
            (GDPR-30).
        sent_at (None | str | Unset): When (RFC 3339; default now).
    """

    what: str
    delay_reason: None | str | Unset = UNSET
    sent_at: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        what = self.what

        delay_reason: None | str | Unset
        if isinstance(self.delay_reason, Unset):
            delay_reason = UNSET
        else:
            delay_reason = self.delay_reason

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        else:
            sent_at = self.sent_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "what": what,
            }
        )
        if delay_reason is not UNSET:
            field_dict["delay_reason"] = delay_reason
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        what = d.pop("what")

        def _parse_delay_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delay_reason = _parse_delay_reason(d.pop("delay_reason", UNSET))

        def _parse_sent_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))

        mark_notice_sent = cls(
            what=what,
            delay_reason=delay_reason,
            sent_at=sent_at,
        )

        return mark_notice_sent
