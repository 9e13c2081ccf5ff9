from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="HoldOut")


@_attrs_define
class HoldOut:
    """A legal hold as stored.

    Attributes:
        created_at (str): Placed.
        id (str): Id.
        items (list[str]): Items held (empty: all).
        owner (str): Owner.
        reason (str): Why.
        review_at (str): Review date.
        subject_id (str): Subject.
        released_at (None | str | Unset): Released.
    """

    created_at: str
    id: str
    items: list[str]
    owner: str
    reason: str
    review_at: str
    subject_id: str
    released_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = self.id

        items = self.items

        owner = self.owner

        reason = self.reason

        review_at = self.review_at

        subject_id = self.subject_id

        released_at: None | str | Unset
        if isinstance(self.released_at, Unset):
            released_at = UNSET
        else:
            released_at = self.released_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "items": items,
                "owner": owner,
                "reason": reason,
                "review_at": review_at,
                "subject_id": subject_id,
            }
        )
        if released_at is not UNSET:
            field_dict["released_at"] = released_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = d.pop("id")

        items = cast(list[str], d.pop("items"))

        owner = d.pop("owner")

        reason = d.pop("reason")

        review_at = d.pop("review_at")

        subject_id = d.pop("subject_id")

        def _parse_released_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        released_at = _parse_released_at(d.pop("released_at", UNSET))

        hold_out = cls(
            created_at=created_at,
            id=id,
            items=items,
            owner=owner,
            reason=reason,
            review_at=review_at,
            subject_id=subject_id,
            released_at=released_at,
        )

        hold_out.additional_properties = d
        return hold_out

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
