from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LegalDisclosureOut")


@_attrs_define
class LegalDisclosureOut:
    """A disclosure made under a legal request.

    Attributes:
        at (str): When.
        categories (list[str]): The categories sent.
        decision_id (str): The decision that allowed it.
        recipient (str): The recipient.
        subject_id (str): The subject.
        subject_notified (bool): The subject is to be told (neither a gag order nor a prohibition of notice).
        notice (None | str | Unset): The notice to the subject (LEGALREQ-05): `pending`, `queued` (sent through the
            outbox), `suppressed` (see `notice_suppressed_reason`), `no_address`; absent on
            disclosures recorded before notices were sent.
        notice_suppressed_reason (None | str | Unset): Why the notice was suppressed: `gag_order` or
            `notice_prohibited`.
    """

    at: str
    categories: list[str]
    decision_id: str
    recipient: str
    subject_id: str
    subject_notified: bool
    notice: None | str | Unset = UNSET
    notice_suppressed_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        categories = self.categories

        decision_id = self.decision_id

        recipient = self.recipient

        subject_id = self.subject_id

        subject_notified = self.subject_notified

        notice: None | str | Unset
        if isinstance(self.notice, Unset):
            notice = UNSET
        else:
            notice = self.notice

        notice_suppressed_reason: None | str | Unset
        if isinstance(self.notice_suppressed_reason, Unset):
            notice_suppressed_reason = UNSET
        else:
            notice_suppressed_reason = self.notice_suppressed_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "categories": categories,
                "decision_id": decision_id,
                "recipient": recipient,
                "subject_id": subject_id,
                "subject_notified": subject_notified,
            }
        )
        if notice is not UNSET:
            field_dict["notice"] = notice
        if notice_suppressed_reason is not UNSET:
            field_dict["notice_suppressed_reason"] = notice_suppressed_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        categories = cast(list[str], d.pop("categories"))

        decision_id = d.pop("decision_id")

        recipient = d.pop("recipient")

        subject_id = d.pop("subject_id")

        subject_notified = d.pop("subject_notified")

        def _parse_notice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice = _parse_notice(d.pop("notice", UNSET))

        def _parse_notice_suppressed_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice_suppressed_reason = _parse_notice_suppressed_reason(d.pop("notice_suppressed_reason", UNSET))

        legal_disclosure_out = cls(
            at=at,
            categories=categories,
            decision_id=decision_id,
            recipient=recipient,
            subject_id=subject_id,
            subject_notified=subject_notified,
            notice=notice,
            notice_suppressed_reason=notice_suppressed_reason,
        )

        legal_disclosure_out.additional_properties = d
        return legal_disclosure_out

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
