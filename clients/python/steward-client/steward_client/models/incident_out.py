from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.assessment_out import AssessmentOut
    from ..models.incident_out_affected import IncidentOutAffected
    from ..models.notice_out import NoticeOut
    from ..models.people_notices_out import PeopleNoticesOut


T = TypeVar("T", bound="IncidentOut")


@_attrs_define
class IncidentOut:
    """An incident.

    Attributes:
        affected (IncidentOutAffected): People affected per jurisdiction.
        affected_source (str): Where the counts came from: `typed` or `computed`.
        affected_unknown (int): Computed: affected people whose residency is unknown.
        aware_at (str): Aware.
        categories (list[str]): Categories.
        discovered_at (str): Discovered.
        encrypted (bool): Encrypted.
        id (str): Id.
        key_compromised (bool): Key compromised.
        notices (list[NoticeOut]): The notices, soonest due first.
        processor (bool): Held as a processor.
        recipients (list[str]): The recipients whose systems were breached.
        state (str): `open`, `breach`, `not_breach`, `closed`.
        subjects_affected (int): People affected in all.
        summary (str): What happened.
        systems (list[str]): Systems.
        updated_at (str): Last changed.
        affected_computed_at (None | str | Unset): When they were computed, if they were.
        assessment (AssessmentOut | None | Unset):
        closed_at (None | str | Unset): Closed.
        next_due_at (None | str | Unset): The next notice due.
        people_notices (None | PeopleNoticesOut | Unset):
        records_affected (int | None | Unset): Records affected.
    """

    affected: IncidentOutAffected
    affected_source: str
    affected_unknown: int
    aware_at: str
    categories: list[str]
    discovered_at: str
    encrypted: bool
    id: str
    key_compromised: bool
    notices: list[NoticeOut]
    processor: bool
    recipients: list[str]
    state: str
    subjects_affected: int
    summary: str
    systems: list[str]
    updated_at: str
    affected_computed_at: None | str | Unset = UNSET
    assessment: AssessmentOut | None | Unset = UNSET
    closed_at: None | str | Unset = UNSET
    next_due_at: None | str | Unset = UNSET
    people_notices: None | PeopleNoticesOut | Unset = UNSET
    records_affected: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.assessment_out import AssessmentOut  # noqa: PLC0415
        from ..models.people_notices_out import PeopleNoticesOut  # noqa: PLC0415

        affected = self.affected.to_dict()

        affected_source = self.affected_source

        affected_unknown = self.affected_unknown

        aware_at = self.aware_at

        categories = self.categories

        discovered_at = self.discovered_at

        encrypted = self.encrypted

        id = self.id

        key_compromised = self.key_compromised

        notices = []
        for notices_item_data in self.notices:
            notices_item = notices_item_data.to_dict()
            notices.append(notices_item)

        processor = self.processor

        recipients = self.recipients

        state = self.state

        subjects_affected = self.subjects_affected

        summary = self.summary

        systems = self.systems

        updated_at = self.updated_at

        affected_computed_at: None | str | Unset
        if isinstance(self.affected_computed_at, Unset):
            affected_computed_at = UNSET
        else:
            affected_computed_at = self.affected_computed_at

        assessment: dict[str, Any] | None | Unset
        if isinstance(self.assessment, Unset):
            assessment = UNSET
        elif isinstance(self.assessment, AssessmentOut):
            assessment = self.assessment.to_dict()
        else:
            assessment = self.assessment

        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        else:
            closed_at = self.closed_at

        next_due_at: None | str | Unset
        if isinstance(self.next_due_at, Unset):
            next_due_at = UNSET
        else:
            next_due_at = self.next_due_at

        people_notices: dict[str, Any] | None | Unset
        if isinstance(self.people_notices, Unset):
            people_notices = UNSET
        elif isinstance(self.people_notices, PeopleNoticesOut):
            people_notices = self.people_notices.to_dict()
        else:
            people_notices = self.people_notices

        records_affected: int | None | Unset
        if isinstance(self.records_affected, Unset):
            records_affected = UNSET
        else:
            records_affected = self.records_affected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "affected": affected,
                "affected_source": affected_source,
                "affected_unknown": affected_unknown,
                "aware_at": aware_at,
                "categories": categories,
                "discovered_at": discovered_at,
                "encrypted": encrypted,
                "id": id,
                "key_compromised": key_compromised,
                "notices": notices,
                "processor": processor,
                "recipients": recipients,
                "state": state,
                "subjects_affected": subjects_affected,
                "summary": summary,
                "systems": systems,
                "updated_at": updated_at,
            }
        )
        if affected_computed_at is not UNSET:
            field_dict["affected_computed_at"] = affected_computed_at
        if assessment is not UNSET:
            field_dict["assessment"] = assessment
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if next_due_at is not UNSET:
            field_dict["next_due_at"] = next_due_at
        if people_notices is not UNSET:
            field_dict["people_notices"] = people_notices
        if records_affected is not UNSET:
            field_dict["records_affected"] = records_affected

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.assessment_out import AssessmentOut  # noqa: PLC0415
        from ..models.incident_out_affected import IncidentOutAffected  # noqa: PLC0415
        from ..models.notice_out import NoticeOut  # noqa: PLC0415
        from ..models.people_notices_out import PeopleNoticesOut  # noqa: PLC0415

        d = dict(src_dict)
        affected = IncidentOutAffected.from_dict(d.pop("affected"))

        affected_source = d.pop("affected_source")

        affected_unknown = d.pop("affected_unknown")

        aware_at = d.pop("aware_at")

        categories = cast(list[str], d.pop("categories"))

        discovered_at = d.pop("discovered_at")

        encrypted = d.pop("encrypted")

        id = d.pop("id")

        key_compromised = d.pop("key_compromised")

        notices = []
        _notices = d.pop("notices")
        for notices_item_data in _notices:
            notices_item = NoticeOut.from_dict(notices_item_data)

            notices.append(notices_item)

        processor = d.pop("processor")

        recipients = cast(list[str], d.pop("recipients"))

        state = d.pop("state")

        subjects_affected = d.pop("subjects_affected")

        summary = d.pop("summary")

        systems = cast(list[str], d.pop("systems"))

        updated_at = d.pop("updated_at")

        def _parse_affected_computed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        affected_computed_at = _parse_affected_computed_at(d.pop("affected_computed_at", UNSET))

        def _parse_assessment(data: object) -> AssessmentOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                assessment_type_0 = AssessmentOut.from_dict(data)

                return assessment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AssessmentOut | None | Unset, data)

        assessment = _parse_assessment(d.pop("assessment", UNSET))

        def _parse_closed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        def _parse_next_due_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_due_at = _parse_next_due_at(d.pop("next_due_at", UNSET))

        def _parse_people_notices(data: object) -> None | PeopleNoticesOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                people_notices_type_0 = PeopleNoticesOut.from_dict(data)

                return people_notices_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PeopleNoticesOut | Unset, data)

        people_notices = _parse_people_notices(d.pop("people_notices", UNSET))

        def _parse_records_affected(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        records_affected = _parse_records_affected(d.pop("records_affected", UNSET))

        incident_out = cls(
            affected=affected,
            affected_source=affected_source,
            affected_unknown=affected_unknown,
            aware_at=aware_at,
            categories=categories,
            discovered_at=discovered_at,
            encrypted=encrypted,
            id=id,
            key_compromised=key_compromised,
            notices=notices,
            processor=processor,
            recipients=recipients,
            state=state,
            subjects_affected=subjects_affected,
            summary=summary,
            systems=systems,
            updated_at=updated_at,
            affected_computed_at=affected_computed_at,
            assessment=assessment,
            closed_at=closed_at,
            next_due_at=next_due_at,
            people_notices=people_notices,
            records_affected=records_affected,
        )

        incident_out.additional_properties = d
        return incident_out

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
