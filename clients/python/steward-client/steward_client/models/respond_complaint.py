from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RespondComplaint")


@_attrs_define
class RespondComplaint:
    """The first response.

    Attributes:
        response (str): What was answered (a reference to the reply).
        responded_at (None | str | Unset): When (RFC 3339; default now).
    """

    response: str
    responded_at: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        response = self.response

        responded_at: None | str | Unset
        if isinstance(self.responded_at, Unset):
            responded_at = UNSET
        else:
            responded_at = self.responded_at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "response": response,
            }
        )
        if responded_at is not UNSET:
            field_dict["responded_at"] = responded_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        response = d.pop("response")

        def _parse_responded_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        responded_at = _parse_responded_at(d.pop("responded_at", UNSET))

        respond_complaint = cls(
            response=response,
            responded_at=responded_at,
        )

        return respond_complaint
