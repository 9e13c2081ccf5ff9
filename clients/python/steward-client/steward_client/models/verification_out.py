from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.verification_out_required import VerificationOutRequired


T = TypeVar("T", bound="VerificationOut")


@_attrs_define
class VerificationOut:
    """Verification required and done (DEC-09).

    Attributes:
        declaration (bool): A signed declaration was received (CCPA-24).
        method (str): `none`, `session`, `email_code`, `staff:<method>`.
        required (VerificationOutRequired): What the law asks for: `{"level": "none" | "session" | "data_points", …}`.
        staff_points (int): Data points staff matched at approval.
        verified_at (None | str | Unset): When it was completed.
    """

    declaration: bool
    method: str
    required: VerificationOutRequired
    staff_points: int
    verified_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        declaration = self.declaration

        method = self.method

        required = self.required.to_dict()

        staff_points = self.staff_points

        verified_at: None | str | Unset
        if isinstance(self.verified_at, Unset):
            verified_at = UNSET
        else:
            verified_at = self.verified_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "declaration": declaration,
                "method": method,
                "required": required,
                "staff_points": staff_points,
            }
        )
        if verified_at is not UNSET:
            field_dict["verified_at"] = verified_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.verification_out_required import VerificationOutRequired  # noqa: PLC0415

        d = dict(src_dict)
        declaration = d.pop("declaration")

        method = d.pop("method")

        required = VerificationOutRequired.from_dict(d.pop("required"))

        staff_points = d.pop("staff_points")

        def _parse_verified_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        verified_at = _parse_verified_at(d.pop("verified_at", UNSET))

        verification_out = cls(
            declaration=declaration,
            method=method,
            required=required,
            staff_points=staff_points,
            verified_at=verified_at,
        )

        verification_out.additional_properties = d
        return verification_out

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
