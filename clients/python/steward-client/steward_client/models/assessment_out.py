from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.risk_dto import RiskDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="AssessmentOut")


@_attrs_define
class AssessmentOut:
    """An assessment, as recorded.

    Attributes:
        at (str): When.
        breach (bool): A breach.
        by (str): Who (`service:<key>`, `subject:<id>`).
        authority_notice_exemption (None | str | Unset): Why the authority is not told.
        note (None | str | Unset): Why.
        risk (None | RiskDto | Unset):
        subject_notice_exemption (None | str | Unset): Why the people are not told although the risk is high (`Art.
            34(3)(a)`).
    """

    at: str
    breach: bool
    by: str
    authority_notice_exemption: None | str | Unset = UNSET
    note: None | str | Unset = UNSET
    risk: None | RiskDto | Unset = UNSET
    subject_notice_exemption: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        breach = self.breach

        by = self.by

        authority_notice_exemption: None | str | Unset
        if isinstance(self.authority_notice_exemption, Unset):
            authority_notice_exemption = UNSET
        else:
            authority_notice_exemption = self.authority_notice_exemption

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

        subject_notice_exemption: None | str | Unset
        if isinstance(self.subject_notice_exemption, Unset):
            subject_notice_exemption = UNSET
        else:
            subject_notice_exemption = self.subject_notice_exemption

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "breach": breach,
                "by": by,
            }
        )
        if authority_notice_exemption is not UNSET:
            field_dict["authority_notice_exemption"] = authority_notice_exemption
        if note is not UNSET:
            field_dict["note"] = note
        if risk is not UNSET:
            field_dict["risk"] = risk
        if subject_notice_exemption is not UNSET:
            field_dict["subject_notice_exemption"] = subject_notice_exemption

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = d.pop("at")

        breach = d.pop("breach")

        by = d.pop("by")

        def _parse_authority_notice_exemption(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        authority_notice_exemption = _parse_authority_notice_exemption(d.pop("authority_notice_exemption", UNSET))

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

        def _parse_subject_notice_exemption(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject_notice_exemption = _parse_subject_notice_exemption(d.pop("subject_notice_exemption", UNSET))

        assessment_out = cls(
            at=at,
            breach=breach,
            by=by,
            authority_notice_exemption=authority_notice_exemption,
            note=note,
            risk=risk,
            subject_notice_exemption=subject_notice_exemption,
        )

        assessment_out.additional_properties = d
        return assessment_out

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
