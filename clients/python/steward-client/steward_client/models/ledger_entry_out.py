from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LedgerEntryOut")


@_attrs_define
class LedgerEntryOut:
    """A ledger entry.

    Attributes:
        at (str): When.
        id (str): Entry id.
        key (str): Key.
        party (str): `subject`, `cookie` or `device` (a linked device's entries count for the subject).
        policy_version (str): Policy version in force.
        source (str): Source.
        value (bool): Value.
        channel (None | str | Unset): Channel.
        notice_sha256 (None | str | Unset): SHA-256 of the notice shown.
    """

    at: str
    id: str
    key: str
    party: str
    policy_version: str
    source: str
    value: bool
    channel: None | str | Unset = UNSET
    notice_sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        id = self.id

        key = self.key

        party = self.party

        policy_version = self.policy_version

        source = self.source

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "id": id,
                "key": key,
                "party": party,
                "policy_version": policy_version,
                "source": source,
                "value": value,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if notice_sha256 is not UNSET:
            field_dict["notice_sha256"] = notice_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        id = d.pop("id")

        key = d.pop("key")

        party = d.pop("party")

        policy_version = d.pop("policy_version")

        source = d.pop("source")

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

        ledger_entry_out = cls(
            at=at,
            id=id,
            key=key,
            party=party,
            policy_version=policy_version,
            source=source,
            value=value,
            channel=channel,
            notice_sha256=notice_sha256,
        )

        ledger_entry_out.additional_properties = d
        return ledger_entry_out

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
