from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TemplateFacts")


@_attrs_define
class TemplateFacts:
    """A message template as facts.

    Attributes:
        has_postal_address (bool | Unset): Has the postal address. Default: False.
        has_promo (bool | Unset): Has promotional content. Default: False.
        has_unsubscribe (bool | Unset): Has an unsubscribe link. Default: False.
    """

    has_postal_address: bool | Unset = False
    has_promo: bool | Unset = False
    has_unsubscribe: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        has_postal_address = self.has_postal_address

        has_promo = self.has_promo

        has_unsubscribe = self.has_unsubscribe

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if has_postal_address is not UNSET:
            field_dict["has_postal_address"] = has_postal_address
        if has_promo is not UNSET:
            field_dict["has_promo"] = has_promo
        if has_unsubscribe is not UNSET:
            field_dict["has_unsubscribe"] = has_unsubscribe

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        has_postal_address = d.pop("has_postal_address", UNSET)

        has_promo = d.pop("has_promo", UNSET)

        has_unsubscribe = d.pop("has_unsubscribe", UNSET)

        template_facts = cls(
            has_postal_address=has_postal_address,
            has_promo=has_promo,
            has_unsubscribe=has_unsubscribe,
        )

        return template_facts
