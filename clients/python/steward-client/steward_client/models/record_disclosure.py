from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RecordDisclosure")


@_attrs_define
class RecordDisclosure:
    """A share that happened.

    Attributes:
        categories (list[str]): The categories actually sent (each must have been allowed).
        decision_id (UUID): The `can_disclose` decision that allowed it (a single decision, not a batch one).
        purpose (str): The purpose.
        recipient (str): To whom (`MP1`, `USPS` …).
        subject_id (UUID): Whose data.
        item_ids (list[UUID] | Unset): The items sent, if known.
        payload_sha256 (None | str | Unset): SHA-256 (hex) of the payload, if known.
    """

    categories: list[str]
    decision_id: UUID
    purpose: str
    recipient: str
    subject_id: UUID
    item_ids: list[UUID] | Unset = UNSET
    payload_sha256: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        categories = self.categories

        decision_id = str(self.decision_id)

        purpose = self.purpose

        recipient = self.recipient

        subject_id = str(self.subject_id)

        item_ids: list[str] | Unset = UNSET
        if not isinstance(self.item_ids, Unset):
            item_ids = []
            for item_ids_item_data in self.item_ids:
                item_ids_item = str(item_ids_item_data)
                item_ids.append(item_ids_item)

        payload_sha256: None | str | Unset
        if isinstance(self.payload_sha256, Unset):
            payload_sha256 = UNSET
        else:
            payload_sha256 = self.payload_sha256

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "categories": categories,
                "decision_id": decision_id,
                "purpose": purpose,
                "recipient": recipient,
                "subject_id": subject_id,
            }
        )
        if item_ids is not UNSET:
            field_dict["item_ids"] = item_ids
        if payload_sha256 is not UNSET:
            field_dict["payload_sha256"] = payload_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        categories = cast(list[str], d.pop("categories"))

        decision_id = UUID(d.pop("decision_id"))

        purpose = d.pop("purpose")

        recipient = d.pop("recipient")

        subject_id = UUID(d.pop("subject_id"))

        _item_ids = d.pop("item_ids", UNSET)
        item_ids: list[UUID] | Unset = UNSET
        if _item_ids is not UNSET:
            item_ids = []
            for item_ids_item_data in _item_ids:
                item_ids_item = UUID(item_ids_item_data)

                item_ids.append(item_ids_item)

        def _parse_payload_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payload_sha256 = _parse_payload_sha256(d.pop("payload_sha256", UNSET))

        record_disclosure = cls(
            categories=categories,
            decision_id=decision_id,
            purpose=purpose,
            recipient=recipient,
            subject_id=subject_id,
            item_ids=item_ids,
            payload_sha256=payload_sha256,
        )

        return record_disclosure
