from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="DiscloseUnderLegalRequest")


@_attrs_define
class DiscloseUnderLegalRequest:
    """A disclosure under a legal request.

    Attributes:
        categories (list[str]): The categories to send (within the scope).
        purpose (str): The purpose (`legal_compliance` …).
        recipient (str): The authority's recipient id in the policy (`LE1` …).
        subject_id (UUID): The subject (named by the request).
    """

    categories: list[str]
    purpose: str
    recipient: str
    subject_id: UUID

    def to_dict(self) -> dict[str, Any]:
        categories = self.categories

        purpose = self.purpose

        recipient = self.recipient

        subject_id = str(self.subject_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "categories": categories,
                "purpose": purpose,
                "recipient": recipient,
                "subject_id": subject_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        categories = cast(list[str], d.pop("categories"))

        purpose = d.pop("purpose")

        recipient = d.pop("recipient")

        subject_id = UUID(d.pop("subject_id"))

        disclose_under_legal_request = cls(
            categories=categories,
            purpose=purpose,
            recipient=recipient,
            subject_id=subject_id,
        )

        return disclose_under_legal_request
