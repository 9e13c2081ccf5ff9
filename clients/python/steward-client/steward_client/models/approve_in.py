from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ApproveIn")


@_attrs_define
class ApproveIn:
    """What staff checked before approving (CCPA-24).

    Attributes:
        data_points (int | Unset): Data points matched beyond the e-mail code.
        signed_declaration (bool | Unset): A signed declaration under penalty of perjury was received.
    """

    data_points: int | Unset = UNSET
    signed_declaration: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        data_points = self.data_points

        signed_declaration = self.signed_declaration

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if data_points is not UNSET:
            field_dict["data_points"] = data_points
        if signed_declaration is not UNSET:
            field_dict["signed_declaration"] = signed_declaration

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        data_points = d.pop("data_points", UNSET)

        signed_declaration = d.pop("signed_declaration", UNSET)

        approve_in = cls(
            data_points=data_points,
            signed_declaration=signed_declaration,
        )

        return approve_in
