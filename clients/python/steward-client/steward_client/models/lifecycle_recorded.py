from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.lifecycle_event_out import LifecycleEventOut
    from ..models.retention_change import RetentionChange


T = TypeVar("T", bound="LifecycleRecorded")


@_attrs_define
class LifecycleRecorded:
    """What recording a lifecycle event did.

    Attributes:
        event (LifecycleEventOut): A recorded lifecycle event.
        items (list[RetentionChange]): The items whose deadline changed.
    """

    event: LifecycleEventOut
    items: list[RetentionChange]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event.to_dict()

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.lifecycle_event_out import LifecycleEventOut  # noqa: PLC0415
        from ..models.retention_change import RetentionChange  # noqa: PLC0415

        d = dict(src_dict)
        event = LifecycleEventOut.from_dict(d.pop("event"))

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = RetentionChange.from_dict(items_item_data)

            items.append(items_item)

        lifecycle_recorded = cls(
            event=event,
            items=items,
        )

        lifecycle_recorded.additional_properties = d
        return lifecycle_recorded

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
