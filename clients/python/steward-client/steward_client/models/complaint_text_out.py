from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ComplaintTextOut")


@_attrs_define
class ComplaintTextOut:
    """What a person lodged with their complaint, for the privacy team (the read is audited).

    Attributes:
        complaint_id (str): The complaint.
        email (str): Where to answer.
        text (str): The complaint, in their words.
        name (None | str | Unset): Their name, when given.
    """

    complaint_id: str
    email: str
    text: str
    name: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        complaint_id = self.complaint_id

        email = self.email

        text = self.text

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "complaint_id": complaint_id,
                "email": email,
                "text": text,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        complaint_id = d.pop("complaint_id")

        email = d.pop("email")

        text = d.pop("text")

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        complaint_text_out = cls(
            complaint_id=complaint_id,
            email=email,
            text=text,
            name=name,
        )

        complaint_text_out.additional_properties = d
        return complaint_text_out

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
