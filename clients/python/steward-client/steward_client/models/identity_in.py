from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.identity_kind_dto import IdentityKindDto

T = TypeVar("T", bound="IdentityIn")


@_attrs_define
class IdentityIn:
    """An identity given in clear (blind-indexed before storage).

    Attributes:
        kind (IdentityKindDto): A kind of identity.
        value (str): The value: an e-mail address, a phone number, a cookie id …
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

        identity_in = cls(
            kind=kind,
            value=value,
        )

        return identity_in
