from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="IntakeAnswer")


@_attrs_define
class IntakeAnswer:
    """What intake answers. It depends only on the input and the caller, never on whether the
    address belongs to an account.

        Attributes:
            message (str): What happens next, for the requester.
            request_id (str): The request id (to verify and follow it); for `kind: complaint`, the complaint's id
                (the same as `complaint_id`).
            state (str): `awaiting_verification`, `awaiting_agent_permission`, `verified`, `approved`,
                `completed`; `received` for a complaint.
            verification (str): `email_code`, `session`, `staff`, `none` (a complaint needs no verification).
            complaint_id (None | str | Unset): `kind: complaint`: the complaint's id, its reference.
            first_response_due (None | str | Unset): `kind: complaint`: the first response is due by then (RFC 3339; 45 days
                after
                receipt: CONTACT-04, DPF-05).
    """

    message: str
    request_id: str
    state: str
    verification: str
    complaint_id: None | str | Unset = UNSET
    first_response_due: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        request_id = self.request_id

        state = self.state

        verification = self.verification

        complaint_id: None | str | Unset
        if isinstance(self.complaint_id, Unset):
            complaint_id = UNSET
        else:
            complaint_id = self.complaint_id

        first_response_due: None | str | Unset
        if isinstance(self.first_response_due, Unset):
            first_response_due = UNSET
        else:
            first_response_due = self.first_response_due

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "request_id": request_id,
                "state": state,
                "verification": verification,
            }
        )
        if complaint_id is not UNSET:
            field_dict["complaint_id"] = complaint_id
        if first_response_due is not UNSET:
            field_dict["first_response_due"] = first_response_due

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")

        request_id = d.pop("request_id")

        state = d.pop("state")

        verification = d.pop("verification")

        def _parse_complaint_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        complaint_id = _parse_complaint_id(d.pop("complaint_id", UNSET))

        def _parse_first_response_due(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_response_due = _parse_first_response_due(d.pop("first_response_due", UNSET))

        intake_answer = cls(
            message=message,
            request_id=request_id,
            state=state,
            verification=verification,
            complaint_id=complaint_id,
            first_response_due=first_response_due,
        )

        intake_answer.additional_properties = d
        return intake_answer

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
