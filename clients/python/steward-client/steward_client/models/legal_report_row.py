from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LegalReportRow")


@_attrs_define
class LegalReportRow:
    """Counts for one instrument.

    Attributes:
        disclosures (int): Disclosures made in the period.
        eu_disclosures (int): Of those, under requests that concern an EU data subject (LEGALREQ-06).
        instrument (str): The instrument.
        requests (int): Requests received in the period.
    """

    disclosures: int
    eu_disclosures: int
    instrument: str
    requests: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        disclosures = self.disclosures

        eu_disclosures = self.eu_disclosures

        instrument = self.instrument

        requests = self.requests

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "disclosures": disclosures,
                "eu_disclosures": eu_disclosures,
                "instrument": instrument,
                "requests": requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        disclosures = d.pop("disclosures")

        eu_disclosures = d.pop("eu_disclosures")

        instrument = d.pop("instrument")

        requests = d.pop("requests")

        legal_report_row = cls(
            disclosures=disclosures,
            eu_disclosures=eu_disclosures,
            instrument=instrument,
            requests=requests,
        )

        legal_report_row.additional_properties = d
        return legal_report_row

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
