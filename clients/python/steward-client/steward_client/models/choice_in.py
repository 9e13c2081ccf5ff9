from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChoiceIn")


@_attrs_define
class ChoiceIn:
    """One choice.

    Attributes:
        key (str): Ledger key: `sale_opt_out`, `share_opt_out`, `marketing:first_party:email`,
            `consent:recipient:MP1`, `cookie:analytics` … (docs/decisions.md).
        value (bool): The value.
        channel (None | str | Unset): Channel: `web_form`, `email_link`, `privacy_center`, `api` …
        notice_sha256 (None | str | Unset): SHA-256 (hex) of the notice text shown when the choice was made (GDPR-07).
        source (None | str | Unset): `user` (default), `gpc`, `admin`, `default`, `import`, `agent`, `parent`,
            `support`.
    """

    key: str
    value: bool
    channel: None | str | Unset = UNSET
    notice_sha256: None | str | Unset = UNSET
    source: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        value = self.value

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        notice_sha256: None | str | Unset
        if isinstance(self.notice_sha256, Unset):
            notice_sha256 = UNSET
        else:
            notice_sha256 = self.notice_sha256

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "key": key,
                "value": value,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if notice_sha256 is not UNSET:
            field_dict["notice_sha256"] = notice_sha256
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        value = d.pop("value")

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_notice_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice_sha256 = _parse_notice_sha256(d.pop("notice_sha256", UNSET))

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        choice_in = cls(
            key=key,
            value=value,
            channel=channel,
            notice_sha256=notice_sha256,
            source=source,
        )

        return choice_in
