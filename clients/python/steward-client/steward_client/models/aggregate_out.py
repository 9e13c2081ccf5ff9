from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.group_out import GroupOut


T = TypeVar("T", bound="AggregateOut")


@_attrs_define
class AggregateOut:
    """A k-anonymous aggregate.

    Attributes:
        groups (list[GroupOut]): Groups at or above the minimum group size.
        suppressed_events (int): Events in suppressed groups.
        suppressed_groups (int): Groups suppressed.
    """

    groups: list[GroupOut]
    suppressed_events: int
    suppressed_groups: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        groups = []
        for groups_item_data in self.groups:
            groups_item = groups_item_data.to_dict()
            groups.append(groups_item)

        suppressed_events = self.suppressed_events

        suppressed_groups = self.suppressed_groups

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "groups": groups,
                "suppressed_events": suppressed_events,
                "suppressed_groups": suppressed_groups,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_out import GroupOut  # noqa: PLC0415

        d = dict(src_dict)
        groups = []
        _groups = d.pop("groups")
        for groups_item_data in _groups:
            groups_item = GroupOut.from_dict(groups_item_data)

            groups.append(groups_item)

        suppressed_events = d.pop("suppressed_events")

        suppressed_groups = d.pop("suppressed_groups")

        aggregate_out = cls(
            groups=groups,
            suppressed_events=suppressed_events,
            suppressed_groups=suppressed_groups,
        )

        aggregate_out.additional_properties = d
        return aggregate_out

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
