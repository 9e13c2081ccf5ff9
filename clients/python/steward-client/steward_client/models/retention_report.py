from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.due_item import DueItem
    from ..models.overdue_hold import OverdueHold
    from ..models.retention_report_items import RetentionReportItems
    from ..models.sweep_count import SweepCount


T = TypeVar("T", bound="RetentionReport")


@_attrs_define
class RetentionReport:
    """What a retention sweep did (or, in a dry run, would do).

    Attributes:
        at (str): The sweep time.
        dry_run (bool): Whether nothing was changed.
        due (list[DueItem]): In a dry run: each item that would go or is held, and why (at most 10 000).
        due_truncated (bool): Whether `due` was cut at its maximum (the counts are complete).
        items (RetentionReportItems): Vault items erased, per category.
        logins (SweepCount): Counts for one category or stream.
        overdue_holds (list[OverdueHold]): Holds past their review date met during the sweep.
        usage_events (SweepCount): Counts for one category or stream.
        usps_scans (SweepCount): Counts for one category or stream.
        scan_cutoff (None | str | Unset): The USPS-scan cut-off.
        usage_cutoff (None | str | Unset): The usage-event cut-off.
    """

    at: str
    dry_run: bool
    due: list[DueItem]
    due_truncated: bool
    items: RetentionReportItems
    logins: SweepCount
    overdue_holds: list[OverdueHold]
    usage_events: SweepCount
    usps_scans: SweepCount
    scan_cutoff: None | str | Unset = UNSET
    usage_cutoff: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        dry_run = self.dry_run

        due = []
        for due_item_data in self.due:
            due_item = due_item_data.to_dict()
            due.append(due_item)

        due_truncated = self.due_truncated

        items = self.items.to_dict()

        logins = self.logins.to_dict()

        overdue_holds = []
        for overdue_holds_item_data in self.overdue_holds:
            overdue_holds_item = overdue_holds_item_data.to_dict()
            overdue_holds.append(overdue_holds_item)

        usage_events = self.usage_events.to_dict()

        usps_scans = self.usps_scans.to_dict()

        scan_cutoff: None | str | Unset
        if isinstance(self.scan_cutoff, Unset):
            scan_cutoff = UNSET
        else:
            scan_cutoff = self.scan_cutoff

        usage_cutoff: None | str | Unset
        if isinstance(self.usage_cutoff, Unset):
            usage_cutoff = UNSET
        else:
            usage_cutoff = self.usage_cutoff

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "dry_run": dry_run,
                "due": due,
                "due_truncated": due_truncated,
                "items": items,
                "logins": logins,
                "overdue_holds": overdue_holds,
                "usage_events": usage_events,
                "usps_scans": usps_scans,
            }
        )
        if scan_cutoff is not UNSET:
            field_dict["scan_cutoff"] = scan_cutoff
        if usage_cutoff is not UNSET:
            field_dict["usage_cutoff"] = usage_cutoff

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.due_item import DueItem  # noqa: PLC0415
        from ..models.overdue_hold import OverdueHold  # noqa: PLC0415
        from ..models.retention_report_items import RetentionReportItems  # noqa: PLC0415
        from ..models.sweep_count import SweepCount  # noqa: PLC0415

        d = dict(src_dict)
        at = d.pop("at")

        dry_run = d.pop("dry_run")

        due = []
        _due = d.pop("due")
        for due_item_data in _due:
            due_item = DueItem.from_dict(due_item_data)

            due.append(due_item)

        due_truncated = d.pop("due_truncated")

        items = RetentionReportItems.from_dict(d.pop("items"))

        logins = SweepCount.from_dict(d.pop("logins"))

        overdue_holds = []
        _overdue_holds = d.pop("overdue_holds")
        for overdue_holds_item_data in _overdue_holds:
            overdue_holds_item = OverdueHold.from_dict(overdue_holds_item_data)

            overdue_holds.append(overdue_holds_item)

        usage_events = SweepCount.from_dict(d.pop("usage_events"))

        usps_scans = SweepCount.from_dict(d.pop("usps_scans"))

        def _parse_scan_cutoff(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scan_cutoff = _parse_scan_cutoff(d.pop("scan_cutoff", UNSET))

        def _parse_usage_cutoff(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        usage_cutoff = _parse_usage_cutoff(d.pop("usage_cutoff", UNSET))

        retention_report = cls(
            at=at,
            dry_run=dry_run,
            due=due,
            due_truncated=due_truncated,
            items=items,
            logins=logins,
            overdue_holds=overdue_holds,
            usage_events=usage_events,
            usps_scans=usps_scans,
            scan_cutoff=scan_cutoff,
            usage_cutoff=usage_cutoff,
        )

        retention_report.additional_properties = d
        return retention_report

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
