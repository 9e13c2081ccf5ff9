from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RepeatOut")


@_attrs_define
class RepeatOut:
    """CCPA-07: prior know requests within 12 months.

    Attributes:
        may_decline (bool): The request may be declined.
        prior_in_window (int): Prior know requests in the window.
        reason (None | str | Unset): Why it may be declined.
    """

    may_decline: bool
    prior_in_window: int
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        may_decline = self.may_decline

        prior_in_window = self.prior_in_window

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "may_decline": may_decline,
                "prior_in_window": prior_in_window,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        may_decline = d.pop("may_decline")

        prior_in_window = d.pop("prior_in_window")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        repeat_out = cls(
            may_decline=may_decline,
            prior_in_window=prior_in_window,
            reason=reason,
        )

        repeat_out.additional_properties = d
        return repeat_out

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
