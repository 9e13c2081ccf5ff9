from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.incident_out import IncidentOut
    from ..models.people_notified_queued import PeopleNotifiedQueued


T = TypeVar("T", bound="PeopleNotified")


@_attrs_define
class PeopleNotified:
    """What a run of "notify the people" did.

    Attributes:
        already_notified (int): People told by an earlier run (never told twice).
        incident (IncidentOut): An incident.
        not_owed (int): Affected people no notice is owed to (no rule for their residency), not told.
        queued (PeopleNotifiedQueued): Notices queued now, per notice (`data_subjects`, `state_residents:CA` …).
        without_address (list[str]): People owed a notice without a deliverable e-mail address, by subject id: notify
            them
            another way.
    """

    already_notified: int
    incident: IncidentOut
    not_owed: int
    queued: PeopleNotifiedQueued
    without_address: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        already_notified = self.already_notified

        incident = self.incident.to_dict()

        not_owed = self.not_owed

        queued = self.queued.to_dict()

        without_address = self.without_address

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "already_notified": already_notified,
                "incident": incident,
                "not_owed": not_owed,
                "queued": queued,
                "without_address": without_address,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.incident_out import IncidentOut  # noqa: PLC0415
        from ..models.people_notified_queued import PeopleNotifiedQueued  # noqa: PLC0415

        d = dict(src_dict)
        already_notified = d.pop("already_notified")

        incident = IncidentOut.from_dict(d.pop("incident"))

        not_owed = d.pop("not_owed")

        queued = PeopleNotifiedQueued.from_dict(d.pop("queued"))

        without_address = cast(list[str], d.pop("without_address"))

        people_notified = cls(
            already_notified=already_notified,
            incident=incident,
            not_owed=not_owed,
            queued=queued,
            without_address=without_address,
        )

        people_notified.additional_properties = d
        return people_notified

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
