from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.basis_dto import BasisDto
from ..models.instrument_dto import InstrumentDto
from ..models.review_decision_dto import ReviewDecisionDto
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legal_disclosure_out import LegalDisclosureOut


T = TypeVar("T", bound="LegalRequestOut")


@_attrs_define
class LegalRequestOut:
    """A legal request.

    Attributes:
        authority (str): The authority.
        basis (BasisDto): The legal basis.
        disclosures (list[LegalDisclosureOut]): The disclosures made under it.
        eu_subject (bool): One is an EU data subject (LEGALREQ-06).
        gag_order (bool): Non-disclosure order.
        id (str): Id (use it as `context.legal_request_id` in a decision).
        instrument (InstrumentDto): The instrument.
        notice_prohibited (bool): Notice to the subjects legally prohibited.
        received_at (str): Received.
        requested_by (str): Who registered it.
        scope (list[str]): The scope.
        state (str): `awaiting_review`, `approved`, `rejected`, `disclosed`.
        subject_ids (list[str]): The subjects.
        decision (None | ReviewDecisionDto | Unset):
        notice_prohibited_reason (None | str | Unset): Why notice is prohibited (the stated reason).
        rationale (None | str | Unset): Why.
        reference (None | str | Unset): Where the instrument is kept.
        reviewed_at (None | str | Unset): When reviewed.
        reviewer (None | str | Unset): Who reviewed it.
    """

    authority: str
    basis: BasisDto
    disclosures: list[LegalDisclosureOut]
    eu_subject: bool
    gag_order: bool
    id: str
    instrument: InstrumentDto
    notice_prohibited: bool
    received_at: str
    requested_by: str
    scope: list[str]
    state: str
    subject_ids: list[str]
    decision: None | ReviewDecisionDto | Unset = UNSET
    notice_prohibited_reason: None | str | Unset = UNSET
    rationale: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    reviewed_at: None | str | Unset = UNSET
    reviewer: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        authority = self.authority

        basis = self.basis.value

        disclosures = []
        for disclosures_item_data in self.disclosures:
            disclosures_item = disclosures_item_data.to_dict()
            disclosures.append(disclosures_item)

        eu_subject = self.eu_subject

        gag_order = self.gag_order

        id = self.id

        instrument = self.instrument.value

        notice_prohibited = self.notice_prohibited

        received_at = self.received_at

        requested_by = self.requested_by

        scope = self.scope

        state = self.state

        subject_ids = self.subject_ids

        decision: None | str | Unset
        if isinstance(self.decision, Unset):
            decision = UNSET
        elif isinstance(self.decision, ReviewDecisionDto):
            decision = self.decision.value
        else:
            decision = self.decision

        notice_prohibited_reason: None | str | Unset
        if isinstance(self.notice_prohibited_reason, Unset):
            notice_prohibited_reason = UNSET
        else:
            notice_prohibited_reason = self.notice_prohibited_reason

        rationale: None | str | Unset
        if isinstance(self.rationale, Unset):
            rationale = UNSET
        else:
            rationale = self.rationale

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        reviewed_at: None | str | Unset
        if isinstance(self.reviewed_at, Unset):
            reviewed_at = UNSET
        else:
            reviewed_at = self.reviewed_at

        reviewer: None | str | Unset
        if isinstance(self.reviewer, Unset):
            reviewer = UNSET
        else:
            reviewer = self.reviewer

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "authority": authority,
                "basis": basis,
                "disclosures": disclosures,
                "eu_subject": eu_subject,
                "gag_order": gag_order,
                "id": id,
                "instrument": instrument,
                "notice_prohibited": notice_prohibited,
                "received_at": received_at,
                "requested_by": requested_by,
                "scope": scope,
                "state": state,
                "subject_ids": subject_ids,
            }
        )
        if decision is not UNSET:
            field_dict["decision"] = decision
        if notice_prohibited_reason is not UNSET:
            field_dict["notice_prohibited_reason"] = notice_prohibited_reason
        if rationale is not UNSET:
            field_dict["rationale"] = rationale
        if reference is not UNSET:
            field_dict["reference"] = reference
        if reviewed_at is not UNSET:
            field_dict["reviewed_at"] = reviewed_at
        if reviewer is not UNSET:
            field_dict["reviewer"] = reviewer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legal_disclosure_out import LegalDisclosureOut  # noqa: PLC0415

        d = dict(src_dict)
        authority = d.pop("authority")

        basis = BasisDto(d.pop("basis"))

        disclosures = []
        _disclosures = d.pop("disclosures")
        for disclosures_item_data in _disclosures:
            disclosures_item = LegalDisclosureOut.from_dict(disclosures_item_data)

            disclosures.append(disclosures_item)

        eu_subject = d.pop("eu_subject")

        gag_order = d.pop("gag_order")

        id = d.pop("id")

        instrument = InstrumentDto(d.pop("instrument"))

        notice_prohibited = d.pop("notice_prohibited")

        received_at = d.pop("received_at")

        requested_by = d.pop("requested_by")

        scope = cast(list[str], d.pop("scope"))

        state = d.pop("state")

        subject_ids = cast(list[str], d.pop("subject_ids"))

        def _parse_decision(data: object) -> None | ReviewDecisionDto | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                decision_type_0 = ReviewDecisionDto(data)

                return decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReviewDecisionDto | Unset, data)

        decision = _parse_decision(d.pop("decision", UNSET))

        def _parse_notice_prohibited_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice_prohibited_reason = _parse_notice_prohibited_reason(d.pop("notice_prohibited_reason", UNSET))

        def _parse_rationale(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rationale = _parse_rationale(d.pop("rationale", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        def _parse_reviewed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reviewed_at = _parse_reviewed_at(d.pop("reviewed_at", UNSET))

        def _parse_reviewer(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reviewer = _parse_reviewer(d.pop("reviewer", UNSET))

        legal_request_out = cls(
            authority=authority,
            basis=basis,
            disclosures=disclosures,
            eu_subject=eu_subject,
            gag_order=gag_order,
            id=id,
            instrument=instrument,
            notice_prohibited=notice_prohibited,
            received_at=received_at,
            requested_by=requested_by,
            scope=scope,
            state=state,
            subject_ids=subject_ids,
            decision=decision,
            notice_prohibited_reason=notice_prohibited_reason,
            rationale=rationale,
            reference=reference,
            reviewed_at=reviewed_at,
            reviewer=reviewer,
        )

        legal_request_out.additional_properties = d
        return legal_request_out

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
