from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CarrierSelectionOut")


@_attrs_define
class CarrierSelectionOut:
    """A recorded carrier selection.

    Attributes:
        account_id (str): The account.
        active (bool): Not withdrawn: decisions for the account's members may disclose to this carrier.
        carrier (str): The carrier's recipient id in the policy.
        id (str): Id.
        selected_at (str): When.
        selected_by (str): The member who selected it.
        shipment (None | str | Unset): The shipment it was selected for, if any.
        terms_version (None | str | Unset): The version of the carrier's terms agreed to, if recorded (CARRIER-06).
        withdrawn_at (None | str | Unset): When it was withdrawn, if it was.
        withdrawn_by (None | str | Unset): Who withdrew it.
    """

    account_id: str
    active: bool
    carrier: str
    id: str
    selected_at: str
    selected_by: str
    shipment: None | str | Unset = UNSET
    terms_version: None | str | Unset = UNSET
    withdrawn_at: None | str | Unset = UNSET
    withdrawn_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        active = self.active

        carrier = self.carrier

        id = self.id

        selected_at = self.selected_at

        selected_by = self.selected_by

        shipment: None | str | Unset
        if isinstance(self.shipment, Unset):
            shipment = UNSET
        else:
            shipment = self.shipment

        terms_version: None | str | Unset
        if isinstance(self.terms_version, Unset):
            terms_version = UNSET
        else:
            terms_version = self.terms_version

        withdrawn_at: None | str | Unset
        if isinstance(self.withdrawn_at, Unset):
            withdrawn_at = UNSET
        else:
            withdrawn_at = self.withdrawn_at

        withdrawn_by: None | str | Unset
        if isinstance(self.withdrawn_by, Unset):
            withdrawn_by = UNSET
        else:
            withdrawn_by = self.withdrawn_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "active": active,
                "carrier": carrier,
                "id": id,
                "selected_at": selected_at,
                "selected_by": selected_by,
            }
        )
        if shipment is not UNSET:
            field_dict["shipment"] = shipment
        if terms_version is not UNSET:
            field_dict["terms_version"] = terms_version
        if withdrawn_at is not UNSET:
            field_dict["withdrawn_at"] = withdrawn_at
        if withdrawn_by is not UNSET:
            field_dict["withdrawn_by"] = withdrawn_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = d.pop("account_id")

        active = d.pop("active")

        carrier = d.pop("carrier")

        id = d.pop("id")

        selected_at = d.pop("selected_at")

        selected_by = d.pop("selected_by")

        def _parse_shipment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        shipment = _parse_shipment(d.pop("shipment", UNSET))

        def _parse_terms_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        terms_version = _parse_terms_version(d.pop("terms_version", UNSET))

        def _parse_withdrawn_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        withdrawn_at = _parse_withdrawn_at(d.pop("withdrawn_at", UNSET))

        def _parse_withdrawn_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        withdrawn_by = _parse_withdrawn_by(d.pop("withdrawn_by", UNSET))

        carrier_selection_out = cls(
            account_id=account_id,
            active=active,
            carrier=carrier,
            id=id,
            selected_at=selected_at,
            selected_by=selected_by,
            shipment=shipment,
            terms_version=terms_version,
            withdrawn_at=withdrawn_at,
            withdrawn_by=withdrawn_by,
        )

        carrier_selection_out.additional_properties = d
        return carrier_selection_out

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
