from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OverdueHold")


@_attrs_define
class OverdueHold:
    """A hold past its review date.

    Attributes:
        alert (str): Always `HOLD_REVIEW_OVERDUE`.
        hold (str): The hold.
        review_at (str): When it should have been reviewed.
        subject (str): Its subject.
    """

    alert: str
    hold: str
    review_at: str
    subject: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        alert = self.alert

        hold = self.hold

        review_at = self.review_at

        subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alert": alert,
                "hold": hold,
                "review_at": review_at,
                "subject": subject,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        alert = d.pop("alert")

        hold = d.pop("hold")

        review_at = d.pop("review_at")

        subject = d.pop("subject")

        overdue_hold = cls(
            alert=alert,
            hold=hold,
            review_at=review_at,
            subject=subject,
        )

        overdue_hold.additional_properties = d
        return overdue_hold

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
