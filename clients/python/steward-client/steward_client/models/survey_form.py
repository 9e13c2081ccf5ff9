from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SurveyForm")


@_attrs_define
class SurveyForm:
    """A survey ready to show.

    Attributes:
        free_text_hint (str): The hint of free-text fields.
        id (str): Its id.
        notice (str): The purpose notice.
        optional (bool): Always `true`.
    """

    free_text_hint: str
    id: str
    notice: str
    optional: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        free_text_hint = self.free_text_hint

        id = self.id

        notice = self.notice

        optional = self.optional

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "free_text_hint": free_text_hint,
                "id": id,
                "notice": notice,
                "optional": optional,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        free_text_hint = d.pop("free_text_hint")

        id = d.pop("id")

        notice = d.pop("notice")

        optional = d.pop("optional")

        survey_form = cls(
            free_text_hint=free_text_hint,
            id=id,
            notice=notice,
            optional=optional,
        )

        survey_form.additional_properties = d
        return survey_form

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
