from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UnsubscribeLinkRequest")


@_attrs_define
class UnsubscribeLinkRequest:
    """Ask for a one-click unsubscribe link for a subject's marketing e-mail (MKT-03, RFC 8058).

    Attributes:
        base_url (str): Where the privacy center is reached from the recipients' mail, e.g.
            `https://privacy.example.com`: `https://`, or `http://` on loopback only; no query or
            fragment. The link is `<base_url>/unsubscribe/<token>`.
        key (None | str | Unset): The e-mail marketing ledger key the link opts out of (`marketing:<type>:email`);
            `marketing:first_party:email` when absent.
    """

    base_url: str
    key: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        base_url = self.base_url

        key: None | str | Unset
        if isinstance(self.key, Unset):
            key = UNSET
        else:
            key = self.key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "base_url": base_url,
            }
        )
        if key is not UNSET:
            field_dict["key"] = key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        base_url = d.pop("base_url")

        def _parse_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        key = _parse_key(d.pop("key", UNSET))

        unsubscribe_link_request = cls(
            base_url=base_url,
            key=key,
        )

        return unsubscribe_link_request
