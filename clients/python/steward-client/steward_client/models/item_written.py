from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.item_out import ItemOut


T = TypeVar("T", bound="ItemWritten")


@_attrs_define
class ItemWritten:
    """A written item and the decision that allowed it.

    Attributes:
        decision_id (str): The `can_collect` decision.
        item (ItemOut): An item's record (its value stays encrypted).
    """

    decision_id: str
    item: ItemOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision_id = self.decision_id

        item = self.item.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision_id": decision_id,
                "item": item,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.item_out import ItemOut  # noqa: PLC0415

        d = dict(src_dict)
        decision_id = d.pop("decision_id")

        item = ItemOut.from_dict(d.pop("item"))

        item_written = cls(
            decision_id=decision_id,
            item=item,
        )

        item_written.additional_properties = d
        return item_written

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
