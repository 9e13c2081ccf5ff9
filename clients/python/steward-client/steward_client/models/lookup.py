from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.identity_kind_dto import IdentityKindDto

T = TypeVar("T", bound="Lookup")


@_attrs_define
class Lookup:
    """An identity to look up.

    Attributes:
        kind (IdentityKindDto): A kind of identity.
        value (str): The value (sent in the body, never in a URL, so it stays out of access logs).
    """

    kind: IdentityKindDto
    value: str

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        value = self.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = IdentityKindDto(d.pop("kind"))

        value = d.pop("value")

        lookup = cls(
            kind=kind,
            value=value,
        )

        return lookup
