from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.compute_affected import ComputeAffected
    from ..models.record_incident_affected import RecordIncidentAffected


T = TypeVar("T", bound="RecordIncident")


@_attrs_define
class RecordIncident:
    """An incident to record.

    Attributes:
        discovered_at (str): When it was discovered (RFC 3339).
        summary (str): What happened, in the privacy team's words (systems and numbers, never people's data).
        affected (RecordIncidentAffected | Unset): How many people are affected, per jurisdiction (`{"US-CA": 120, "DE":
            4}`).
        aware_at (None | str | Unset): When the controller became aware that personal data was affected — the GDPR
            72-hour
            clock starts here (default: `discovered_at`).
        categories (list[str] | Unset): The data categories involved (the policy's ids).
        compute_affected (ComputeAffected | None | Unset):
        encrypted (bool | Unset): The affected data was encrypted (CCPA-35 records this for every breach).
        key_compromised (bool | Unset): Its encryption key was compromised too.
        processor (bool | Unset): The data is held as a processor for a controller, who is told first (GDPR Art. 33(2)).
        recipients (list[str] | Unset): The recipients (the policy's ids) whose systems were breached, e.g. a
            processor's:
            the people whose data was disclosed to them are affected.
        records_affected (int | None | Unset): How many records, if known.
        systems (list[str] | Unset): The systems involved (`billing-db`, `support-mailbox` …).
    """

    discovered_at: str
    summary: str
    affected: RecordIncidentAffected | Unset = UNSET
    aware_at: None | str | Unset = UNSET
    categories: list[str] | Unset = UNSET
    compute_affected: ComputeAffected | None | Unset = UNSET
    encrypted: bool | Unset = UNSET
    key_compromised: bool | Unset = UNSET
    processor: bool | Unset = UNSET
    recipients: list[str] | Unset = UNSET
    records_affected: int | None | Unset = UNSET
    systems: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.compute_affected import ComputeAffected  # noqa: PLC0415

        discovered_at = self.discovered_at

        summary = self.summary

        affected: dict[str, Any] | Unset = UNSET
        if not isinstance(self.affected, Unset):
            affected = self.affected.to_dict()

        aware_at: None | str | Unset
        if isinstance(self.aware_at, Unset):
            aware_at = UNSET
        else:
            aware_at = self.aware_at

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        compute_affected: dict[str, Any] | None | Unset
        if isinstance(self.compute_affected, Unset):
            compute_affected = UNSET
        elif isinstance(self.compute_affected, ComputeAffected):
            compute_affected = self.compute_affected.to_dict()
        else:
            compute_affected = self.compute_affected

        encrypted = self.encrypted

        key_compromised = self.key_compromised

        processor = self.processor

        recipients: list[str] | Unset = UNSET
        if not isinstance(self.recipients, Unset):
            recipients = self.recipients

        records_affected: int | None | Unset
        if isinstance(self.records_affected, Unset):
            records_affected = UNSET
        else:
            records_affected = self.records_affected

        systems: list[str] | Unset = UNSET
        if not isinstance(self.systems, Unset):
            systems = self.systems

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "discovered_at": discovered_at,
                "summary": summary,
            }
        )
        if affected is not UNSET:
            field_dict["affected"] = affected
        if aware_at is not UNSET:
            field_dict["aware_at"] = aware_at
        if categories is not UNSET:
            field_dict["categories"] = categories
        if compute_affected is not UNSET:
            field_dict["compute_affected"] = compute_affected
        if encrypted is not UNSET:
            field_dict["encrypted"] = encrypted
        if key_compromised is not UNSET:
            field_dict["key_compromised"] = key_compromised
        if processor is not UNSET:
            field_dict["processor"] = processor
        if recipients is not UNSET:
            field_dict["recipients"] = recipients
        if records_affected is not UNSET:
            field_dict["records_affected"] = records_affected
        if systems is not UNSET:
            field_dict["systems"] = systems

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compute_affected import ComputeAffected  # noqa: PLC0415
        from ..models.record_incident_affected import RecordIncidentAffected  # noqa: PLC0415

        d = dict(src_dict)
        discovered_at = d.pop("discovered_at")

        summary = d.pop("summary")

        _affected = d.pop("affected", UNSET)
        affected: RecordIncidentAffected | Unset
        if isinstance(_affected, Unset):
            affected = UNSET
        else:
            affected = RecordIncidentAffected.from_dict(_affected)

        def _parse_aware_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        aware_at = _parse_aware_at(d.pop("aware_at", UNSET))

        categories = cast(list[str], d.pop("categories", UNSET))

        def _parse_compute_affected(data: object) -> ComputeAffected | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                compute_affected_type_0 = ComputeAffected.from_dict(data)

                return compute_affected_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ComputeAffected | None | Unset, data)

        compute_affected = _parse_compute_affected(d.pop("compute_affected", UNSET))

        encrypted = d.pop("encrypted", UNSET)

        key_compromised = d.pop("key_compromised", UNSET)

        processor = d.pop("processor", UNSET)

        recipients = cast(list[str], d.pop("recipients", UNSET))

        def _parse_records_affected(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        records_affected = _parse_records_affected(d.pop("records_affected", UNSET))

        systems = cast(list[str], d.pop("systems", UNSET))

        record_incident = cls(
            discovered_at=discovered_at,
            summary=summary,
            affected=affected,
            aware_at=aware_at,
            categories=categories,
            compute_affected=compute_affected,
            encrypted=encrypted,
            key_compromised=key_compromised,
            processor=processor,
            recipients=recipients,
            records_affected=records_affected,
            systems=systems,
        )

        return record_incident
