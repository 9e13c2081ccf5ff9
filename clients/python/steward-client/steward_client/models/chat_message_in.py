from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChatMessageIn")


@_attrs_define
class ChatMessageIn:
    """One chat message.

    Attributes:
        from_ (str): `customer` or `agent`.
        text (str): The text (card numbers and government ids are masked before storage).
        at (None | str | Unset): When (RFC 3339).
    """

    from_: str
    text: str
    at: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        text = self.text

        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        else:
            at = self.at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "text": text,
            }
        )
        if at is not UNSET:
            field_dict["at"] = at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_ = d.pop("from")

        text = d.pop("text")

        def _parse_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        at = _parse_at(d.pop("at", UNSET))

        chat_message_in = cls(
            from_=from_,
            text=text,
            at=at,
        )

        return chat_message_in
