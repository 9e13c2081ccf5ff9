from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legal_report_row import LegalReportRow


T = TypeVar("T", bound="LegalReportOut")


@_attrs_define
class LegalReportOut:
    """The legal disclosure report (LEGALREQ-04).

    Attributes:
        instruments (list[LegalReportRow]): Per instrument.
        from_ (None | str | Unset): From (inclusive).
        until (None | str | Unset): Until (exclusive).
    """

    instruments: list[LegalReportRow]
    from_: None | str | Unset = UNSET
    until: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        instruments = []
        for instruments_item_data in self.instruments:
            instruments_item = instruments_item_data.to_dict()
            instruments.append(instruments_item)

        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        else:
            from_ = self.from_

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        else:
            until = self.until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "instruments": instruments,
            }
        )
        if from_ is not UNSET:
            field_dict["from"] = from_
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legal_report_row import LegalReportRow  # noqa: PLC0415

        d = dict(src_dict)
        instruments = []
        _instruments = d.pop("instruments")
        for instruments_item_data in _instruments:
            instruments_item = LegalReportRow.from_dict(instruments_item_data)

            instruments.append(instruments_item)

        def _parse_from_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        until = _parse_until(d.pop("until", UNSET))

        legal_report_out = cls(
            instruments=instruments,
            from_=from_,
            until=until,
        )

        legal_report_out.additional_properties = d
        return legal_report_out

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
