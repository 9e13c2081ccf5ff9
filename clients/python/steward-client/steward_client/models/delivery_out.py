from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DeliveryOut")


@_attrs_define
class DeliveryOut:
    """A webhook delivery (no body: it is sealed).

    Attributes:
        attempts (int): Attempts made.
        event (str): `erasure`, `rectification`, `restriction`, `opt_out`.
        id (str): The delivery id.
        next_attempt_at (str): When the next attempt is due.
        recipient (str): The recipient.
        state (str): `pending`, `delivered`, `confirmed`, `dead_letter`.
        confirmed_at (None | str | Unset): When the recipient confirmed it acted.
        delivered_at (None | str | Unset): When the endpoint accepted it.
        last_error (None | str | Unset): The last failure, as a code (`HTTP_503`, `CONNECT` …).
        last_status (int | None | Unset): The last HTTP status received.
        notification (None | str | Unset): The partner notification it carries, if any.
        request (None | str | Unset): The request it belongs to, if any.
    """

    attempts: int
    event: str
    id: str
    next_attempt_at: str
    recipient: str
    state: str
    confirmed_at: None | str | Unset = UNSET
    delivered_at: None | str | Unset = UNSET
    last_error: None | str | Unset = UNSET
    last_status: int | None | Unset = UNSET
    notification: None | str | Unset = UNSET
    request: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        event = self.event

        id = self.id

        next_attempt_at = self.next_attempt_at

        recipient = self.recipient

        state = self.state

        confirmed_at: None | str | Unset
        if isinstance(self.confirmed_at, Unset):
            confirmed_at = UNSET
        else:
            confirmed_at = self.confirmed_at

        delivered_at: None | str | Unset
        if isinstance(self.delivered_at, Unset):
            delivered_at = UNSET
        else:
            delivered_at = self.delivered_at

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        last_status: int | None | Unset
        if isinstance(self.last_status, Unset):
            last_status = UNSET
        else:
            last_status = self.last_status

        notification: None | str | Unset
        if isinstance(self.notification, Unset):
            notification = UNSET
        else:
            notification = self.notification

        request: None | str | Unset
        if isinstance(self.request, Unset):
            request = UNSET
        else:
            request = self.request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "event": event,
                "id": id,
                "next_attempt_at": next_attempt_at,
                "recipient": recipient,
                "state": state,
            }
        )
        if confirmed_at is not UNSET:
            field_dict["confirmed_at"] = confirmed_at
        if delivered_at is not UNSET:
            field_dict["delivered_at"] = delivered_at
        if last_error is not UNSET:
            field_dict["last_error"] = last_error
        if last_status is not UNSET:
            field_dict["last_status"] = last_status
        if notification is not UNSET:
            field_dict["notification"] = notification
        if request is not UNSET:
            field_dict["request"] = request

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        attempts = d.pop("attempts")

        event = d.pop("event")

        id = d.pop("id")

        next_attempt_at = d.pop("next_attempt_at")

        recipient = d.pop("recipient")

        state = d.pop("state")

        def _parse_confirmed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        confirmed_at = _parse_confirmed_at(d.pop("confirmed_at", UNSET))

        def _parse_delivered_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        delivered_at = _parse_delivered_at(d.pop("delivered_at", UNSET))

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        def _parse_last_status(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        last_status = _parse_last_status(d.pop("last_status", UNSET))

        def _parse_notification(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notification = _parse_notification(d.pop("notification", UNSET))

        def _parse_request(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request = _parse_request(d.pop("request", UNSET))

        delivery_out = cls(
            attempts=attempts,
            event=event,
            id=id,
            next_attempt_at=next_attempt_at,
            recipient=recipient,
            state=state,
            confirmed_at=confirmed_at,
            delivered_at=delivered_at,
            last_error=last_error,
            last_status=last_status,
            notification=notification,
            request=request,
        )

        delivery_out.additional_properties = d
        return delivery_out

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
