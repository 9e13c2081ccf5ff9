from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="QueueCursor")


@_attrs_define
class QueueCursor:
    """Where the next page of the queue starts.

    Attributes:
        after_due (str): The last row's due time.
        after_id (str): The last row's id.
    """

    after_due: str
    after_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        after_due = self.after_due

        after_id = self.after_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "after_due": after_due,
                "after_id": after_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        after_due = d.pop("after_due")

        after_id = d.pop("after_id")

        queue_cursor = cls(
            after_due=after_due,
            after_id=after_id,
        )

        queue_cursor.additional_properties = d
        return queue_cursor

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
