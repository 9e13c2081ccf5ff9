from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LegalRequestFacts")


@_attrs_define
class LegalRequestFacts:
    """A legal request as facts.

    Attributes:
        basis (str): `required_by_law` or `permitted_by_law`.
        gag_order (bool | Unset): Non-disclosure order. Default: False.
        reviewed (bool | Unset): Reviewed in good faith by counsel (LEGALREQ-02). Default: False.
        scope (list[str] | Unset): Categories in scope.
    """

    basis: str
    gag_order: bool | Unset = False
    reviewed: bool | Unset = False
    scope: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        basis = self.basis

        gag_order = self.gag_order

        reviewed = self.reviewed

        scope: list[str] | Unset = UNSET
        if not isinstance(self.scope, Unset):
            scope = self.scope

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "basis": basis,
            }
        )
        if gag_order is not UNSET:
            field_dict["gag_order"] = gag_order
        if reviewed is not UNSET:
            field_dict["reviewed"] = reviewed
        if scope is not UNSET:
            field_dict["scope"] = scope

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        basis = d.pop("basis")

        gag_order = d.pop("gag_order", UNSET)

        reviewed = d.pop("reviewed", UNSET)

        scope = cast(list[str], d.pop("scope", UNSET))

        legal_request_facts = cls(
            basis=basis,
            gag_order=gag_order,
            reviewed=reviewed,
            scope=scope,
        )

        return legal_request_facts
