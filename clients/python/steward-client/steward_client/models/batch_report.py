from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_result import EventResult


T = TypeVar("T", bound="BatchReport")


@_attrs_define
class BatchReport:
    """The answer to a batch of events (or of USPS scans).

    Attributes:
        accepted (int): Events stored as sent (less the raw address).
        dropped (int): Events not stored by policy (counted and audited by reason).
        rejected (int): Malformed events.
        results (list[EventResult]): Every event not stored exactly as sent, in batch order.
        stripped (int): Events stored without some fields.
    """

    accepted: int
    dropped: int
    rejected: int
    results: list[EventResult]
    stripped: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted = self.accepted

        dropped = self.dropped

        rejected = self.rejected

        results = []
        for results_item_data in self.results:
            results_item = results_item_data.to_dict()
            results.append(results_item)

        stripped = self.stripped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
                "dropped": dropped,
                "rejected": rejected,
                "results": results,
                "stripped": stripped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_result import EventResult  # noqa: PLC0415

        d = dict(src_dict)
        accepted = d.pop("accepted")

        dropped = d.pop("dropped")

        rejected = d.pop("rejected")

        results = []
        _results = d.pop("results")
        for results_item_data in _results:
            results_item = EventResult.from_dict(results_item_data)

            results.append(results_item)

        stripped = d.pop("stripped")

        batch_report = cls(
            accepted=accepted,
            dropped=dropped,
            rejected=rejected,
            results=results,
            stripped=stripped,
        )

        batch_report.additional_properties = d
        return batch_report

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
