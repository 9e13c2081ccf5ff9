from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Recorded")


@_attrs_define
class Recorded:
    """Recorded choices.

    Attributes:
        choice_ids (list[str]): Ledger entry ids, in request order.
        gpc_recorded (bool): Whether a `Sec-GPC: 1` header was recorded as an opt-out by this call (first time only).
        partners_notified (int): Notifications queued for sale/share partners that received the subject's data
            (an opt-out recorded by this call, including a first `Sec-GPC: 1`: CCPA-13,
            ADTECH-03, GPC-11). The webhook worker delivers them.
    """

    choice_ids: list[str]
    gpc_recorded: bool
    partners_notified: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        choice_ids = self.choice_ids

        gpc_recorded = self.gpc_recorded

        partners_notified = self.partners_notified

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "choice_ids": choice_ids,
                "gpc_recorded": gpc_recorded,
                "partners_notified": partners_notified,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        choice_ids = cast(list[str], d.pop("choice_ids"))

        gpc_recorded = d.pop("gpc_recorded")

        partners_notified = d.pop("partners_notified")

        recorded = cls(
            choice_ids=choice_ids,
            gpc_recorded=gpc_recorded,
            partners_notified=partners_notified,
        )

        recorded.additional_properties = d
        return recorded

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
