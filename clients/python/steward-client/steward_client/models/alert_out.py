from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AlertOut")


@_attrs_define
class AlertOut:
    """An alert for the console (DL-04, RET-03, RET-07, ADTECH-03).

    Attributes:
        kind (str): `DUE_IN_7_DAYS`, `DUE_IN_2_DAYS`, `OVERDUE`, `PROCESSOR_DELETION_UNCONFIRMED`,
            `WEBHOOK_DEAD_LETTER`, `PARTNER_NOTIFICATION_OVERDUE`, `PARTNER_NO_WEBHOOK`,
            `POLICY_STALE`.
        since (str): Since when the alert applies.
        notification (None | str | Unset): The partner notification, for partner alerts (and their dead letters).
        policy_version (None | str | Unset): The policy version, for `POLICY_STALE` (CHG-05: the policy in force took
            effect more
            than 12 months ago).
        recipient (None | str | Unset): The recipient, for processor and partner alerts.
        request (None | str | Unset): The request, for request alerts.
    """

    kind: str
    since: str
    notification: None | str | Unset = UNSET
    policy_version: None | str | Unset = UNSET
    recipient: None | str | Unset = UNSET
    request: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        since = self.since

        notification: None | str | Unset
        if isinstance(self.notification, Unset):
            notification = UNSET
        else:
            notification = self.notification

        policy_version: None | str | Unset
        if isinstance(self.policy_version, Unset):
            policy_version = UNSET
        else:
            policy_version = self.policy_version

        recipient: None | str | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        else:
            recipient = self.recipient

        request: None | str | Unset
        if isinstance(self.request, Unset):
            request = UNSET
        else:
            request = self.request

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "since": since,
            }
        )
        if notification is not UNSET:
            field_dict["notification"] = notification
        if policy_version is not UNSET:
            field_dict["policy_version"] = policy_version
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if request is not UNSET:
            field_dict["request"] = request

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        since = d.pop("since")

        def _parse_notification(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notification = _parse_notification(d.pop("notification", UNSET))

        def _parse_policy_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        policy_version = _parse_policy_version(d.pop("policy_version", UNSET))

        def _parse_recipient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient = _parse_recipient(d.pop("recipient", UNSET))

        def _parse_request(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request = _parse_request(d.pop("request", UNSET))

        alert_out = cls(
            kind=kind,
            since=since,
            notification=notification,
            policy_version=policy_version,
            recipient=recipient,
            request=request,
        )

        alert_out.additional_properties = d
        return alert_out

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
