from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.redactions import Redactions


T = TypeVar("T", bound="TranscriptOut")


@_attrs_define
class TranscriptOut:
    """A stored transcript.

    Attributes:
        decision_id (str): The decision that allowed the collection.
        item_id (str): The `chat_transcript` item.
        redactions (Redactions): Values masked in free text.
    """

    decision_id: str
    item_id: str
    redactions: Redactions
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision_id = self.decision_id

        item_id = self.item_id

        redactions = self.redactions.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision_id": decision_id,
                "item_id": item_id,
                "redactions": redactions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.redactions import Redactions  # noqa: PLC0415

        d = dict(src_dict)
        decision_id = d.pop("decision_id")

        item_id = d.pop("item_id")

        redactions = Redactions.from_dict(d.pop("redactions"))

        transcript_out = cls(
            decision_id=decision_id,
            item_id=item_id,
            redactions=redactions,
        )

        transcript_out.additional_properties = d
        return transcript_out

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
