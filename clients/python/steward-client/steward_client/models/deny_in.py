from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DenyIn")


@_attrs_define
class DenyIn:
    """A denial.

    Attributes:
        reason (str): `cannot_identify`, `unverified`, `manifestly_unfounded`, `excessive`,
            `repeat_know_request`, `fraudulent`, `other`.
        justification (None | str | Unset): Required for `manifestly_unfounded`, `excessive` and `fraudulent`.
    """

    reason: str
    justification: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        justification: None | str | Unset
        if isinstance(self.justification, Unset):
            justification = UNSET
        else:
            justification = self.justification

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )
        if justification is not UNSET:
            field_dict["justification"] = justification

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        def _parse_justification(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        justification = _parse_justification(d.pop("justification", UNSET))

        deny_in = cls(
            reason=reason,
            justification=justification,
        )

        return deny_in
