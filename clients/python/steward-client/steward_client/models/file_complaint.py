from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.complaint_channel_dto import ComplaintChannelDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="FileComplaint")


@_attrs_define
class FileComplaint:
    """A complaint to file. The complaint's own words stay where they arrived: give a
    `reference` to them, never the text.

        Attributes:
            channel (ComplaintChannelDto): Where a complaint arrived (CONTACT-01).
            topic (str): What it is about: a short code (`access_request`, `marketing`, `other` …).
            dpf (bool | Unset): Raised under the EU-U.S. Data Privacy Framework (DPF-05).
            jurisdiction (None | str | Unset): The complainant's jurisdiction when not a stored subject (`DE`, `US-CA` …).
            received_at (None | str | Unset): When it arrived (RFC 3339; default now). The clock starts here (CONTACT-02).
            reference (None | str | Unset): Where its words are (a mailbox message id, a ticket number).
            subject_id (None | Unset | UUID): The complainant, a stored subject.
    """

    channel: ComplaintChannelDto
    topic: str
    dpf: bool | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    received_at: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    subject_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel.value

        topic = self.topic

        dpf = self.dpf

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        received_at: None | str | Unset
        if isinstance(self.received_at, Unset):
            received_at = UNSET
        else:
            received_at = self.received_at

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        elif isinstance(self.subject_id, UUID):
            subject_id = str(self.subject_id)
        else:
            subject_id = self.subject_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "channel": channel,
                "topic": topic,
            }
        )
        if dpf is not UNSET:
            field_dict["dpf"] = dpf
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if received_at is not UNSET:
            field_dict["received_at"] = received_at
        if reference is not UNSET:
            field_dict["reference"] = reference
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = ComplaintChannelDto(d.pop("channel"))

        topic = d.pop("topic")

        dpf = d.pop("dpf", UNSET)

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_received_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        received_at = _parse_received_at(d.pop("received_at", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_subject_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subject_id_type_0 = UUID(data)

                return subject_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        subject_id = _parse_subject_id(d.pop("subject_id", UNSET))

        file_complaint = cls(
            channel=channel,
            topic=topic,
            dpf=dpf,
            jurisdiction=jurisdiction,
            received_at=received_at,
            reference=reference,
            subject_id=subject_id,
        )

        return file_complaint
