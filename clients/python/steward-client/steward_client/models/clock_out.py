from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClockOut")


@_attrs_define
class ClockOut:
    """One regime's clock on a request.

    Attributes:
        citation (str): Legal source.
        due (str): Due.
        max_due (str): With an extension.
        regime (str): Regime.
        ack_due (None | str | Unset): Acknowledgement due.
        propagate_by (None | str | Unset): Propagation due (opt-outs).
    """

    citation: str
    due: str
    max_due: str
    regime: str
    ack_due: None | str | Unset = UNSET
    propagate_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        citation = self.citation

        due = self.due

        max_due = self.max_due

        regime = self.regime

        ack_due: None | str | Unset
        if isinstance(self.ack_due, Unset):
            ack_due = UNSET
        else:
            ack_due = self.ack_due

        propagate_by: None | str | Unset
        if isinstance(self.propagate_by, Unset):
            propagate_by = UNSET
        else:
            propagate_by = self.propagate_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "citation": citation,
                "due": due,
                "max_due": max_due,
                "regime": regime,
            }
        )
        if ack_due is not UNSET:
            field_dict["ack_due"] = ack_due
        if propagate_by is not UNSET:
            field_dict["propagate_by"] = propagate_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        citation = d.pop("citation")

        due = d.pop("due")

        max_due = d.pop("max_due")

        regime = d.pop("regime")

        def _parse_ack_due(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ack_due = _parse_ack_due(d.pop("ack_due", UNSET))

        def _parse_propagate_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        propagate_by = _parse_propagate_by(d.pop("propagate_by", UNSET))

        clock_out = cls(
            citation=citation,
            due=due,
            max_due=max_due,
            regime=regime,
            ack_due=ack_due,
            propagate_by=propagate_by,
        )

        clock_out.additional_properties = d
        return clock_out

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
