from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="HoldIn")


@_attrs_define
class HoldIn:
    """A legal hold (RET-03).

    Attributes:
        owner (str): Who owns it (a code: `legal`).
        reason (str): Why (a code: `litigation_2024_17`).
        review_at (str): When it must be reviewed (RFC 3339).
        items (list[UUID] | Unset): The items held (default: all of the subject's items).
    """

    owner: str
    reason: str
    review_at: str
    items: list[UUID] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        owner = self.owner

        reason = self.reason

        review_at = self.review_at

        items: list[str] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = str(items_item_data)
                items.append(items_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "owner": owner,
                "reason": reason,
                "review_at": review_at,
            }
        )
        if items is not UNSET:
            field_dict["items"] = items

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        owner = d.pop("owner")

        reason = d.pop("reason")

        review_at = d.pop("review_at")

        _items = d.pop("items", UNSET)
        items: list[UUID] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = UUID(items_item_data)

                items.append(items_item)

        hold_in = cls(
            owner=owner,
            reason=reason,
            review_at=review_at,
            items=items,
        )

        return hold_in
