from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="UnsubscribeLink")


@_attrs_define
class UnsubscribeLink:
    """An unsubscribe link and the headers a marketing e-mail carries (RFC 2369, RFC 8058).

    Attributes:
        expires_at (str): Until when the link works (RFC 3339; well over CAN-SPAM's 30 days after sending).
        key (str): The ledger key the link opts out of.
        list_unsubscribe (str): The value of the `List-Unsubscribe` header: `<url>`.
        list_unsubscribe_post (str): The value of the `List-Unsubscribe-Post` header: `List-Unsubscribe=One-Click`.
        token (str): The opaque token (it names no subject or address in clear).
        url (str): The link for people: a page with one button, no sign-in.
    """

    expires_at: str
    key: str
    list_unsubscribe: str
    list_unsubscribe_post: str
    token: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at

        key = self.key

        list_unsubscribe = self.list_unsubscribe

        list_unsubscribe_post = self.list_unsubscribe_post

        token = self.token

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_at": expires_at,
                "key": key,
                "list_unsubscribe": list_unsubscribe,
                "list_unsubscribe_post": list_unsubscribe_post,
                "token": token,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_at = d.pop("expires_at")

        key = d.pop("key")

        list_unsubscribe = d.pop("list_unsubscribe")

        list_unsubscribe_post = d.pop("list_unsubscribe_post")

        token = d.pop("token")

        url = d.pop("url")

        unsubscribe_link = cls(
            expires_at=expires_at,
            key=key,
            list_unsubscribe=list_unsubscribe,
            list_unsubscribe_post=list_unsubscribe_post,
            token=token,
            url=url,
        )

        unsubscribe_link.additional_properties = d
        return unsubscribe_link

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
