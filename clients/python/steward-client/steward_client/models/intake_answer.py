from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IntakeAnswer")


@_attrs_define
class IntakeAnswer:
    """What intake answers. It depends only on the input and the caller, never on whether the
    address belongs to an account.

        Attributes:
            message (str): What happens next, for the requester.
            request_id (str): The request id (to verify and follow it).
            state (str): `awaiting_verification`, `awaiting_agent_permission`, `verified`, `approved`,
                `completed`.
            verification (str): `email_code`, `session`, `staff`, `none`.
    """

    message: str
    request_id: str
    state: str
    verification: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        request_id = self.request_id

        state = self.state

        verification = self.verification

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message = d.pop("message")

        request_id = d.pop("request_id")

        state = d.pop("state")

        verification = d.pop("verification")

        intake_answer = cls(
            message=message,
            request_id=request_id,
            state=state,
            verification=verification,
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
