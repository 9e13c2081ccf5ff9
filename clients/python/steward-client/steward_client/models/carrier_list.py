from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.carrier_selection_out import CarrierSelectionOut


T = TypeVar("T", bound="CarrierList")


@_attrs_define
class CarrierList:
    """An account's carrier selections, withdrawn ones included, oldest first.

    Attributes:
        account_id (str): The account.
        carriers (list[CarrierSelectionOut]): The selections.
    """

    account_id: str
    carriers: list[CarrierSelectionOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        carriers = []
        for carriers_item_data in self.carriers:
            carriers_item = carriers_item_data.to_dict()
            carriers.append(carriers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "carriers": carriers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.carrier_selection_out import CarrierSelectionOut  # noqa: PLC0415

        d = dict(src_dict)
        account_id = d.pop("account_id")

        carriers = []
        _carriers = d.pop("carriers")
        for carriers_item_data in _carriers:
            carriers_item = CarrierSelectionOut.from_dict(carriers_item_data)

            carriers.append(carriers_item)

        carrier_list = cls(
            account_id=account_id,
            carriers=carriers,
        )

        carrier_list.additional_properties = d
        return carrier_list

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
