from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.identity_kind_dto import IdentityKindDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="LinkIdentity")


@_attrs_define
class LinkIdentity:
    """An identity to link to a subject.

    Attributes:
        kind (IdentityKindDto): A kind of identity.
        value (str): The value.
        source (None | str | Unset): Where the link comes from (`login`, `user`, `support` …); default `login`.
    """

    kind: IdentityKindDto
    value: str
    source: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        value = self.value

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "value": value,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = IdentityKindDto(d.pop("kind"))

        value = d.pop("value")

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        link_identity = cls(
            kind=kind,
            value=value,
            source=source,
        )

        return link_identity
