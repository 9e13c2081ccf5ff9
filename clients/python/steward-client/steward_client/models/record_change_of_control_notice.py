from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RecordChangeOfControlNotice")


@_attrs_define
class RecordChangeOfControlNotice:
    """A change-of-control notice owed to a person.

    Attributes:
        transfer (str): The change of control, as the privacy team names it (`acme-2024`).
        delivered_at (None | str | Unset): When it was already delivered, if it was (RFC 3339).
        effective_at (None | str | Unset): When the change took effect for the person (RFC 3339; default: now).
            Promotions to
            them are held from then until the notice is delivered or answered (BIZ-03).
    """

    transfer: str
    delivered_at: None | str | Unset = UNSET
    effective_at: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        transfer = self.transfer

        delivered_at: None | str | Unset
        if isinstance(self.delivered_at, Unset):
            delivered_at = UNSET
        else:
            delivered_at = self.delivered_at

        effective_at: None | str | Unset
        if isinstance(self.effective_at, Unset):
            effective_at = UNSET
        else:
            effective_at = self.effective_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "transfer": transfer,
            }
        )
        if delivered_at is not UNSET:
            field_dict["delivered_at"] = delivered_at
        if effective_at is not UNSET:
            field_dict["effective_at"] = effective_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        transfer = d.pop("transfer")

        def _parse_delivered_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at", UNSET))

        def _parse_effective_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        effective_at = _parse_effective_at(d.pop("effective_at", UNSET))

        record_change_of_control_notice = cls(
            transfer=transfer,
            delivered_at=delivered_at,
            effective_at=effective_at,
        )

        return record_change_of_control_notice
