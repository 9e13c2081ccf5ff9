from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RequestRow")


@_attrs_define
class RequestRow:
    """A request in the queue (no personal data).

    Attributes:
        channel (str): Channel.
        days_left (int): Days left (negative when overdue).
        due (str): Due (deadline in force).
        id (str): Id.
        kind (str): Kind.
        max_due (str): Latest possible deadline.
        may_deny_unverified (bool): CCPA-04: still unverified at its deadline — it may be denied as unverifiable.
        received_at (str): Received.
        requester (str): Who submitted it.
        state (str): State.
        status (str): `ON_TRACK`, `AT_RISK`, `OVERDUE`, or `CLOSED`.
        ack_due (None | str | Unset): Acknowledgement due.
        subject (None | str | Unset): Subject (pseudonymous id), once known.
    """

    channel: str
    days_left: int
    due: str
    id: str
    kind: str
    max_due: str
    may_deny_unverified: bool
    received_at: str
    requester: str
    state: str
    status: str
    ack_due: None | str | Unset = UNSET
    subject: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        channel = self.channel

        days_left = self.days_left

        due = self.due

        id = self.id

        kind = self.kind

        max_due = self.max_due

        may_deny_unverified = self.may_deny_unverified

        received_at = self.received_at

        requester = self.requester

        state = self.state

        status = self.status

        ack_due: None | str | Unset
        if isinstance(self.ack_due, Unset):
            ack_due = UNSET
        else:
            ack_due = self.ack_due

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "days_left": days_left,
                "due": due,
                "id": id,
                "kind": kind,
                "max_due": max_due,
                "may_deny_unverified": may_deny_unverified,
                "received_at": received_at,
                "requester": requester,
                "state": state,
                "status": status,
            }
        )
        if ack_due is not UNSET:
            field_dict["ack_due"] = ack_due
        if subject is not UNSET:
            field_dict["subject"] = subject

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        channel = d.pop("channel")

        days_left = d.pop("days_left")

        due = d.pop("due")

        id = d.pop("id")

        kind = d.pop("kind")

        max_due = d.pop("max_due")

        may_deny_unverified = d.pop("may_deny_unverified")

        received_at = d.pop("received_at")

        requester = d.pop("requester")

        state = d.pop("state")

        status = d.pop("status")

        def _parse_ack_due(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ack_due = _parse_ack_due(d.pop("ack_due", UNSET))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        request_row = cls(
            channel=channel,
            days_left=days_left,
            due=due,
            id=id,
            kind=kind,
            max_due=max_due,
            may_deny_unverified=may_deny_unverified,
            received_at=received_at,
            requester=requester,
            state=state,
            status=status,
            ack_due=ack_due,
            subject=subject,
        )

        request_row.additional_properties = d
        return request_row

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
