from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MoreInformationIn")


@_attrs_define
class MoreInformationIn:
    """More information to ask for.

    Attributes:
        fields (list[str]): What to ask for (codes: `postal_address`, `last_order_number` …); identity documents
            are refused (GDPR-06).
    """

    fields: list[str]

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        more_information_in = cls(
            fields=fields,
        )

        return more_information_in
