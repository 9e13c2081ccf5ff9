from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChangeOfControlNoticeOut")


@_attrs_define
class ChangeOfControlNoticeOut:
    """A notice and where it stands.

    Attributes:
        effective_at (str): When it took effect for the person.
        id (str): Id.
        pending (bool): Promotions are held: in effect, neither delivered nor answered (BIZ-03).
        recorded_at (str): When it was recorded.
        subject_id (str): The person.
        transfer (str): The change of control.
        answered_at (None | str | Unset): When the answer was given.
        delivered_at (None | str | Unset): When it was delivered (or answered).
        stop_promotions (bool | None | Unset): The answer given since it took effect: `true` is "stop promotions".
    """

    effective_at: str
    id: str
    pending: bool
    recorded_at: str
    subject_id: str
    transfer: str
    answered_at: None | str | Unset = UNSET
    delivered_at: None | str | Unset = UNSET
    stop_promotions: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        effective_at = self.effective_at

        id = self.id

        pending = self.pending

        recorded_at = self.recorded_at

        subject_id = self.subject_id

        transfer = self.transfer

        answered_at: None | str | Unset
        if isinstance(self.answered_at, Unset):
            answered_at = UNSET
        else:
            answered_at = self.answered_at

        delivered_at: None | str | Unset
        if isinstance(self.delivered_at, Unset):
            delivered_at = UNSET
        else:
            delivered_at = self.delivered_at

        stop_promotions: bool | None | Unset
        if isinstance(self.stop_promotions, Unset):
            stop_promotions = UNSET
        else:
            stop_promotions = self.stop_promotions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effective_at": effective_at,
                "id": id,
                "pending": pending,
                "recorded_at": recorded_at,
                "subject_id": subject_id,
                "transfer": transfer,
            }
        )
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if delivered_at is not UNSET:
            field_dict["delivered_at"] = delivered_at
        if stop_promotions is not UNSET:
            field_dict["stop_promotions"] = stop_promotions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        effective_at = d.pop("effective_at")

        id = d.pop("id")

        pending = d.pop("pending")

        recorded_at = d.pop("recorded_at")

        subject_id = d.pop("subject_id")

        transfer = d.pop("transfer")

        def _parse_answered_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        answered_at = _parse_answered_at(d.pop("answered_at", UNSET))

        def _parse_delivered_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at", UNSET))

        def _parse_stop_promotions(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        stop_promotions = _parse_stop_promotions(d.pop("stop_promotions", UNSET))

        change_of_control_notice_out = cls(
            effective_at=effective_at,
            id=id,
            pending=pending,
            recorded_at=recorded_at,
            subject_id=subject_id,
            transfer=transfer,
            answered_at=answered_at,
            delivered_at=delivered_at,
            stop_promotions=stop_promotions,
        )

        change_of_control_notice_out.additional_properties = d
        return change_of_control_notice_out

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
