from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
        subject_notified (bool): The subject is told (no gag order).
    """

    at: str
    categories: list[str]
    decision_id: str
    recipient: str
    subject_id: str
    subject_notified: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        categories = self.categories

        decision_id = self.decision_id

        recipient = self.recipient

        subject_id = self.subject_id

        subject_notified = self.subject_notified

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

        legal_disclosure_out = cls(
            at=at,
            categories=categories,
            decision_id=decision_id,
            recipient=recipient,
            subject_id=subject_id,
            subject_notified=subject_notified,
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
