from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SelectCarrier")


@_attrs_define
class SelectCarrier:
    """A carrier the account holder selected (CARRIER-01).

    Attributes:
        carrier (str): The carrier: a recipient id of the policy that requires a carrier selection
            (`CAR_UPS` …).
        selected_by (None | Unset | UUID): The member who selected it (account-limited keys: the actor; default: the
            owner).
        shipment (None | str | Unset): The shipment it is selected for (an order or label number; none: until
            withdrawn).
        terms_version (None | str | Unset): The version of the carrier's own terms the holder agreed to (CARRIER-06).
    """

    carrier: str
    selected_by: None | Unset | UUID = UNSET
    shipment: None | str | Unset = UNSET
    terms_version: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        carrier = self.carrier

        selected_by: None | str | Unset
        if isinstance(self.selected_by, Unset):
            selected_by = UNSET
        elif isinstance(self.selected_by, UUID):
            selected_by = str(self.selected_by)
        else:
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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "carrier": carrier,
            }
        )
        if selected_by is not UNSET:
            field_dict["selected_by"] = selected_by
        if shipment is not UNSET:
            field_dict["shipment"] = shipment
        if terms_version is not UNSET:
            field_dict["terms_version"] = terms_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        carrier = d.pop("carrier")

        def _parse_selected_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                selected_by_type_0 = UUID(data)

                return selected_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        selected_by = _parse_selected_by(d.pop("selected_by", UNSET))

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

        select_carrier = cls(
            carrier=carrier,
            selected_by=selected_by,
            shipment=shipment,
            terms_version=terms_version,
        )

        return select_carrier
