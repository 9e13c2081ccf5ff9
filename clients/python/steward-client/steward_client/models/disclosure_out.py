from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisclosureOut")


@_attrs_define
class DisclosureOut:
    """A recorded disclosure.

    Attributes:
        categories (list[str]): Categories sent.
        decision_id (str): The allowing decision.
        disclosed_at (str): When.
        id (str): Id.
        item_ids (list[str]): Items sent.
        purpose (str): Purpose.
        recipient (str): Recipient.
        subject_id (str): Whose data.
        payload_sha256 (None | str | Unset): SHA-256 of the payload.
    """

    categories: list[str]
    decision_id: str
    disclosed_at: str
    id: str
    item_ids: list[str]
    purpose: str
    recipient: str
    subject_id: str
    payload_sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        categories = self.categories

        decision_id = self.decision_id

        disclosed_at = self.disclosed_at

        id = self.id

        item_ids = self.item_ids

        purpose = self.purpose

        recipient = self.recipient

        subject_id = self.subject_id

        payload_sha256: None | str | Unset
        if isinstance(self.payload_sha256, Unset):
            payload_sha256 = UNSET
        else:
            payload_sha256 = self.payload_sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "categories": categories,
                "decision_id": decision_id,
                "disclosed_at": disclosed_at,
                "id": id,
                "item_ids": item_ids,
                "purpose": purpose,
                "recipient": recipient,
                "subject_id": subject_id,
            }
        )
        if payload_sha256 is not UNSET:
            field_dict["payload_sha256"] = payload_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        categories = cast(list[str], d.pop("categories"))

        decision_id = d.pop("decision_id")

        disclosed_at = d.pop("disclosed_at")

        id = d.pop("id")

        item_ids = cast(list[str], d.pop("item_ids"))

        purpose = d.pop("purpose")

        recipient = d.pop("recipient")

        subject_id = d.pop("subject_id")

        def _parse_payload_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        payload_sha256 = _parse_payload_sha256(d.pop("payload_sha256", UNSET))

        disclosure_out = cls(
            categories=categories,
            decision_id=decision_id,
            disclosed_at=disclosed_at,
            id=id,
            item_ids=item_ids,
            purpose=purpose,
            recipient=recipient,
            subject_id=subject_id,
            payload_sha256=payload_sha256,
        )

        disclosure_out.additional_properties = d
        return disclosure_out

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
