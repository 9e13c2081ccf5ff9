from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PeopleNoticesOut")


@_attrs_define
class PeopleNoticesOut:
    """Where the notices to the people stand after the last run.

    Attributes:
        at (str): The last run.
        not_owed (int): Affected people owed no notice, as of the last run.
        queued (int): Queued by it.
        queued_total (int): Queued by every run.
        without_address (int): People owed a notice without a deliverable address, as of the last run.
    """

    at: str
    not_owed: int
    queued: int
    queued_total: int
    without_address: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        not_owed = self.not_owed

        queued = self.queued

        queued_total = self.queued_total

        without_address = self.without_address

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "not_owed": not_owed,
                "queued": queued,
                "queued_total": queued_total,
                "without_address": without_address,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        not_owed = d.pop("not_owed")

        queued = d.pop("queued")

        queued_total = d.pop("queued_total")

        without_address = d.pop("without_address")

        people_notices_out = cls(
            at=at,
            not_owed=not_owed,
            queued=queued,
            queued_total=queued_total,
            without_address=without_address,
        )

        people_notices_out.additional_properties = d
        return people_notices_out

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
