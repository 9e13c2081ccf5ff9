from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.complaint_channel_dto import ComplaintChannelDto
from ..models.resolution_dto import ResolutionDto
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.recourse_out import RecourseOut


T = TypeVar("T", bound="ComplaintOut")


@_attrs_define
class ComplaintOut:
    """A complaint.

    Attributes:
        by (str): Who acted last.
        channel (ComplaintChannelDto): Where a complaint arrived (CONTACT-01).
        eu_or_dpf (bool): An EU or DPF complaint (45 days are the law's).
        first_response_due (str): First response due (45 days after receipt: DPF-05, CONTACT-04).
        id (str): Id.
        received_at (str): Received.
        response_status (str): `open`, `overdue`, `answered` or `answered_late`.
        state (str): `open`, `responded`, `resolved`, `unresolved`, `escalated`.
        topic (str): Topic code.
        words (str): What the person lodged with it (their address, name and words, sealed): `lodged`
            (read it at `GET /v1/complaints/{id}/text`), `none` (filed by staff: see `reference`),
            `erased` (the complainant was erased; the record remains).
        escalated_at (None | str | Unset): Escalated to the provider.
        first_response_at (None | str | Unset): First response given.
        jurisdiction (None | str | Unset): Their jurisdiction.
        recourse (None | RecourseOut | Unset):
        reference (None | str | Unset): Where its words are.
        resolution (None | ResolutionDto | Unset):
        resolved_at (None | str | Unset): When.
        response (None | str | Unset): What was answered.
        subject_id (None | str | Unset): The complainant.
        words_erased_at (None | str | Unset): When the person's words were erased with the rest of their data.
    """

    by: str
    channel: ComplaintChannelDto
    eu_or_dpf: bool
    first_response_due: str
    id: str
    received_at: str
    response_status: str
    state: str
    topic: str
    words: str
    escalated_at: None | str | Unset = UNSET
    first_response_at: None | str | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    recourse: None | RecourseOut | Unset = UNSET
    reference: None | str | Unset = UNSET
    resolution: None | ResolutionDto | Unset = UNSET
    resolved_at: None | str | Unset = UNSET
    response: None | str | Unset = UNSET
    subject_id: None | str | Unset = UNSET
    words_erased_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.recourse_out import RecourseOut  # noqa: PLC0415

        by = self.by

        channel = self.channel.value

        eu_or_dpf = self.eu_or_dpf

        first_response_due = self.first_response_due

        id = self.id

        received_at = self.received_at

        response_status = self.response_status

        state = self.state

        topic = self.topic

        words = self.words

        escalated_at: None | str | Unset
        if isinstance(self.escalated_at, Unset):
            escalated_at = UNSET
        else:
            escalated_at = self.escalated_at

        first_response_at: None | str | Unset
        if isinstance(self.first_response_at, Unset):
            first_response_at = UNSET
        else:
            first_response_at = self.first_response_at

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        recourse: dict[str, Any] | None | Unset
        if isinstance(self.recourse, Unset):
            recourse = UNSET
        elif isinstance(self.recourse, RecourseOut):
            recourse = self.recourse.to_dict()
        else:
            recourse = self.recourse

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        resolution: None | str | Unset
        if isinstance(self.resolution, Unset):
            resolution = UNSET
        elif isinstance(self.resolution, ResolutionDto):
            resolution = self.resolution.value
        else:
            resolution = self.resolution

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        else:
            resolved_at = self.resolved_at

        response: None | str | Unset
        if isinstance(self.response, Unset):
            response = UNSET
        else:
            response = self.response

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        else:
            subject_id = self.subject_id

        words_erased_at: None | str | Unset
        if isinstance(self.words_erased_at, Unset):
            words_erased_at = UNSET
        else:
            words_erased_at = self.words_erased_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by": by,
                "channel": channel,
                "eu_or_dpf": eu_or_dpf,
                "first_response_due": first_response_due,
                "id": id,
                "received_at": received_at,
                "response_status": response_status,
                "state": state,
                "topic": topic,
                "words": words,
            }
        )
        if escalated_at is not UNSET:
            field_dict["escalated_at"] = escalated_at
        if first_response_at is not UNSET:
            field_dict["first_response_at"] = first_response_at
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if recourse is not UNSET:
            field_dict["recourse"] = recourse
        if reference is not UNSET:
            field_dict["reference"] = reference
        if resolution is not UNSET:
            field_dict["resolution"] = resolution
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at
        if response is not UNSET:
            field_dict["response"] = response
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id
        if words_erased_at is not UNSET:
            field_dict["words_erased_at"] = words_erased_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recourse_out import RecourseOut  # noqa: PLC0415

        d = dict(src_dict)
        by = d.pop("by")

        channel = ComplaintChannelDto(d.pop("channel"))

        eu_or_dpf = d.pop("eu_or_dpf")

        first_response_due = d.pop("first_response_due")

        id = d.pop("id")

        received_at = d.pop("received_at")

        response_status = d.pop("response_status")

        state = d.pop("state")

        topic = d.pop("topic")

        words = d.pop("words")

        def _parse_escalated_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        escalated_at = _parse_escalated_at(d.pop("escalated_at", UNSET))

        def _parse_first_response_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_response_at = _parse_first_response_at(d.pop("first_response_at", UNSET))

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_recourse(data: object) -> None | RecourseOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recourse_type_0 = RecourseOut.from_dict(data)

                return recourse_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RecourseOut | Unset, data)

        recourse = _parse_recourse(d.pop("recourse", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_resolution(data: object) -> None | ResolutionDto | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolution_type_0 = ResolutionDto(data)

                return resolution_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResolutionDto | Unset, data)

        resolution = _parse_resolution(d.pop("resolution", UNSET))

        def _parse_resolved_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        def _parse_response(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        response = _parse_response(d.pop("response", UNSET))

        def _parse_subject_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject_id = _parse_subject_id(d.pop("subject_id", UNSET))

        def _parse_words_erased_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        words_erased_at = _parse_words_erased_at(d.pop("words_erased_at", UNSET))

        complaint_out = cls(
            by=by,
            channel=channel,
            eu_or_dpf=eu_or_dpf,
            first_response_due=first_response_due,
            id=id,
            received_at=received_at,
            response_status=response_status,
            state=state,
            topic=topic,
            words=words,
            escalated_at=escalated_at,
            first_response_at=first_response_at,
            jurisdiction=jurisdiction,
            recourse=recourse,
            reference=reference,
            resolution=resolution,
            resolved_at=resolved_at,
            response=response,
            subject_id=subject_id,
            words_erased_at=words_erased_at,
        )

        complaint_out.additional_properties = d
        return complaint_out

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
