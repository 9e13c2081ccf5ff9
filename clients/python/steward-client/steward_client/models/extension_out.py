from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ExtensionOut")


@_attrs_define
class ExtensionOut:
    """The extension of a request's deadline (DL-05).

    Attributes:
        new_due (str): The deadline now.
        notified_at (str): When the subject was told.
        previous_due (str): The deadline before.
        reason (str): Why (told to the subject).
    """

    new_due: str
    notified_at: str
    previous_due: str
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        new_due = self.new_due

        notified_at = self.notified_at

        previous_due = self.previous_due

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "new_due": new_due,
                "notified_at": notified_at,
                "previous_due": previous_due,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        new_due = d.pop("new_due")

        notified_at = d.pop("notified_at")

        previous_due = d.pop("previous_due")

        reason = d.pop("reason")

        extension_out = cls(
            new_due=new_due,
            notified_at=notified_at,
            previous_due=previous_due,
            reason=reason,
        )

        extension_out.additional_properties = d
        return extension_out

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
