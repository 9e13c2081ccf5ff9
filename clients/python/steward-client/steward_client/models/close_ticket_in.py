from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CloseTicketIn")


@_attrs_define
class CloseTicketIn:
    """A ticket's closure.

    Attributes:
        closed_at (None | str | Unset): When it closed (RFC 3339; default: now).
    """

    closed_at: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        closed_at: None | str | Unset
        if isinstance(self.closed_at, Unset):
            closed_at = UNSET
        else:
            closed_at = self.closed_at

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_closed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        closed_at = _parse_closed_at(d.pop("closed_at", UNSET))

        close_ticket_in = cls(
            closed_at=closed_at,
        )

        return close_ticket_in
