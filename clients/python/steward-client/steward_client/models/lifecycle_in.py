from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.lifecycle_event_kind import LifecycleEventKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="LifecycleIn")


@_attrs_define
class LifecycleIn:
    """A lifecycle event to record.

    Attributes:
        event (LifecycleEventKind): What happened to the subject.
        at (None | str | Unset): When (RFC 3339; default: now; never in the future).
    """

    event: LifecycleEventKind
    at: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event = self.event.value

        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        else:
            at = self.at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
            }
        )
        if at is not UNSET:
            field_dict["at"] = at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = LifecycleEventKind(d.pop("event"))

        def _parse_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        at = _parse_at(d.pop("at", UNSET))

        lifecycle_in = cls(
            event=event,
            at=at,
        )

        return lifecycle_in
