from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lifecycle_event_kind import LifecycleEventKind

T = TypeVar("T", bound="LifecycleEventOut")


@_attrs_define
class LifecycleEventOut:
    """A recorded lifecycle event.

    Attributes:
        at (str): When it happened.
        event (LifecycleEventKind): What happened to the subject.
        recorded_at (str): When it was recorded.
        subject_id (str): The subject.
    """

    at: str
    event: LifecycleEventKind
    recorded_at: str
    subject_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        event = self.event.value

        recorded_at = self.recorded_at

        subject_id = self.subject_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "event": event,
                "recorded_at": recorded_at,
                "subject_id": subject_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        event = LifecycleEventKind(d.pop("event"))

        recorded_at = d.pop("recorded_at")

        subject_id = d.pop("subject_id")

        lifecycle_event_out = cls(
            at=at,
            event=event,
            recorded_at=recorded_at,
            subject_id=subject_id,
        )

        lifecycle_event_out.additional_properties = d
        return lifecycle_event_out

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
