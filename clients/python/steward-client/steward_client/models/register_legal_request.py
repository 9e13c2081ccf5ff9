from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.basis_dto import BasisDto
from ..models.instrument_dto import InstrumentDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="RegisterLegalRequest")


@_attrs_define
class RegisterLegalRequest:
    """A legal request to register.

    Attributes:
        authority (str): The authority (a court, an agency).
        basis (BasisDto): The legal basis.
        instrument (InstrumentDto): The instrument.
        scope (list[str]): The categories within its scope (LEGALREQ-03).
        gag_order (bool | Unset): A non-disclosure order forbids telling the subjects (LEGALREQ-05).
        notice_prohibited (bool | Unset): Notice to the subjects is legally prohibited (LEGALREQ-05; needs
            `notice_prohibited_reason`).
        notice_prohibited_reason (None | str | Unset): Why notice is prohibited (the statute or order), with
            `notice_prohibited`.
        received_at (None | str | Unset): Received (RFC 3339; default now).
        reference (None | str | Unset): Where the instrument is kept (a document reference).
        subject_ids (list[UUID] | Unset): The stored subjects it concerns.
    """

    authority: str
    basis: BasisDto
    instrument: InstrumentDto
    scope: list[str]
    gag_order: bool | Unset = UNSET
    notice_prohibited: bool | Unset = UNSET
    notice_prohibited_reason: None | str | Unset = UNSET
    received_at: None | str | Unset = UNSET
    reference: None | str | Unset = UNSET
    subject_ids: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        authority = self.authority

        basis = self.basis.value

        instrument = self.instrument.value

        scope = self.scope

        gag_order = self.gag_order

        notice_prohibited = self.notice_prohibited

        notice_prohibited_reason: None | str | Unset
        if isinstance(self.notice_prohibited_reason, Unset):
            notice_prohibited_reason = UNSET
        else:
            notice_prohibited_reason = self.notice_prohibited_reason

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

        subject_ids: list[str] | Unset = UNSET
        if not isinstance(self.subject_ids, Unset):
            subject_ids = []
            for subject_ids_item_data in self.subject_ids:
                subject_ids_item = str(subject_ids_item_data)
                subject_ids.append(subject_ids_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "authority": authority,
                "basis": basis,
                "instrument": instrument,
                "scope": scope,
            }
        )
        if gag_order is not UNSET:
            field_dict["gag_order"] = gag_order
        if notice_prohibited is not UNSET:
            field_dict["notice_prohibited"] = notice_prohibited
        if notice_prohibited_reason is not UNSET:
            field_dict["notice_prohibited_reason"] = notice_prohibited_reason
        if received_at is not UNSET:
            field_dict["received_at"] = received_at
        if reference is not UNSET:
            field_dict["reference"] = reference
        if subject_ids is not UNSET:
            field_dict["subject_ids"] = subject_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        authority = d.pop("authority")

        basis = BasisDto(d.pop("basis"))

        instrument = InstrumentDto(d.pop("instrument"))

        scope = cast(list[str], d.pop("scope"))

        gag_order = d.pop("gag_order", UNSET)

        notice_prohibited = d.pop("notice_prohibited", UNSET)

        def _parse_notice_prohibited_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice_prohibited_reason = _parse_notice_prohibited_reason(d.pop("notice_prohibited_reason", UNSET))

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

        _subject_ids = d.pop("subject_ids", UNSET)
        subject_ids: list[UUID] | Unset = UNSET
        if _subject_ids is not UNSET:
            subject_ids = []
            for subject_ids_item_data in _subject_ids:
                subject_ids_item = UUID(subject_ids_item_data)

                subject_ids.append(subject_ids_item)

        register_legal_request = cls(
            authority=authority,
            basis=basis,
            instrument=instrument,
            scope=scope,
            gag_order=gag_order,
            notice_prohibited=notice_prohibited,
            notice_prohibited_reason=notice_prohibited_reason,
            received_at=received_at,
            reference=reference,
            subject_ids=subject_ids,
        )

        return register_legal_request
