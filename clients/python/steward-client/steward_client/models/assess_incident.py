from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.risk_dto import RiskDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="AssessIncident")


@_attrs_define
class AssessIncident:
    """An assessment.

    Attributes:
        breach (bool): Personal data was breached.
        note (None | str | Unset): Why.
        risk (None | RiskDto | Unset):
    """

    breach: bool
    note: None | str | Unset = UNSET
    risk: None | RiskDto | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        breach = self.breach

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        risk: None | str | Unset
        if isinstance(self.risk, Unset):
            risk = UNSET
        elif isinstance(self.risk, RiskDto):
            risk = self.risk.value
        else:
            risk = self.risk

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "breach": breach,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if risk is not UNSET:
            field_dict["risk"] = risk

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        breach = d.pop("breach")

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_risk(data: object) -> None | RiskDto | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                risk_type_0 = RiskDto(data)

                return risk_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RiskDto | Unset, data)

        risk = _parse_risk(d.pop("risk", UNSET))

        assess_incident = cls(
            breach=breach,
            note=note,
            risk=risk,
        )

        return assess_incident
