from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChoiceWithProvenance")


@_attrs_define
class ChoiceWithProvenance:
    """One effective choice with its provenance.

    Attributes:
        source (str): Who set it (`user`, `gpc`, `admin`, `default` …).
        value (bool | str): The value of an effective choice: `true`/`false`, or a state (`given`, `refused`,
            `withdrawn`, `not_given`, …).
        at (None | str | Unset): When the deciding ledger entry was recorded (`null` for a default).
        channel (None | str | Unset): The channel it arrived through, if recorded.
        entry (int | None | Unset): Index of the deciding ledger entry (`null` for a default).
    """

    source: str
    value: bool | str
    at: None | str | Unset = UNSET
    channel: None | str | Unset = UNSET
    entry: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        value: bool | str
        value = self.value

        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        else:
            at = self.at

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        entry: int | None | Unset
        if isinstance(self.entry, Unset):
            entry = UNSET
        else:
            entry = self.entry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "source": source,
                "value": value,
            }
        )
        if at is not UNSET:
            field_dict["at"] = at
        if channel is not UNSET:
            field_dict["channel"] = channel
        if entry is not UNSET:
            field_dict["entry"] = entry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = d.pop("source")

        def _parse_value(data: object) -> bool | str:
            return cast(bool | str, data)

        value = _parse_value(d.pop("value"))

        def _parse_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        at = _parse_at(d.pop("at", UNSET))

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_entry(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        entry = _parse_entry(d.pop("entry", UNSET))

        choice_with_provenance = cls(
            source=source,
            value=value,
            at=at,
            channel=channel,
            entry=entry,
        )

        choice_with_provenance.additional_properties = d
        return choice_with_provenance

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
