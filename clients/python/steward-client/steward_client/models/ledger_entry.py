from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LedgerEntry")


@_attrs_define
class LedgerEntry:
    """A choices-ledger entry.

    Attributes:
        at (str): RFC 3339 time.
        key (str): Choice key, e.g. `sale_opt_out`, `marketing:first_party:email`, `consent:recipient:TP_Y`.
        value (bool): Value.
        channel (None | str | Unset): How it arrived: `registration_checkbox`, `email_link`, `web_form`,
            `support_contact`,
            `privacy_email`, `gpc`, `sms_stop`, `change_of_control_prompt`, `privacy_center`, `api`.
            Recorded in provenance; every channel has the same effect (MP-04).
        source (str | Unset): `user`, `gpc`, `admin`, `default`, `import`, `agent`, `parent`, `support`. Default:
            'user'.
    """

    at: str
    key: str
    value: bool
    channel: None | str | Unset = UNSET
    source: str | Unset = "user"

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        key = self.key

        value = self.value

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        source = self.source

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "key": key,
                "value": value,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        key = d.pop("key")

        value = d.pop("value")

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        source = d.pop("source", UNSET)

        ledger_entry = cls(
            at=at,
            key=key,
            value=value,
            channel=channel,
            source=source,
        )

        return ledger_entry
