from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SurveyIn")


@_attrs_define
class SurveyIn:
    """A survey as the company defines it.

    Attributes:
        id (str): Its id.
        free_text_hint (None | str | Unset): The minimization hint of free-text fields (SURVEY-05).
        notice (None | str | Unset): The purpose notice shown with it (SURVEY-02).
        required (bool | Unset): Must be `false` (SURVEY-01).
    """

    id: str
    free_text_hint: None | str | Unset = UNSET
    notice: None | str | Unset = UNSET
    required: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        free_text_hint: None | str | Unset
        if isinstance(self.free_text_hint, Unset):
            free_text_hint = UNSET
        else:
            free_text_hint = self.free_text_hint

        notice: None | str | Unset
        if isinstance(self.notice, Unset):
            notice = UNSET
        else:
            notice = self.notice

        required = self.required

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )
        if free_text_hint is not UNSET:
            field_dict["free_text_hint"] = free_text_hint
        if notice is not UNSET:
            field_dict["notice"] = notice
        if required is not UNSET:
            field_dict["required"] = required

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_free_text_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        free_text_hint = _parse_free_text_hint(d.pop("free_text_hint", UNSET))

        def _parse_notice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice = _parse_notice(d.pop("notice", UNSET))

        required = d.pop("required", UNSET)

        survey_in = cls(
            id=id,
            free_text_hint=free_text_hint,
            notice=notice,
            required=required,
        )

        return survey_in
