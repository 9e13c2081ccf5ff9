from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AlertOut")


@_attrs_define
class AlertOut:
    """An alert for the console (DL-04, RET-03, RET-07, ADTECH-03, CHG-05, SEC-06, DPF-02, SP-04).

    Attributes:
        kind (str): `DUE_IN_7_DAYS`, `DUE_IN_2_DAYS`, `OVERDUE`, `PROCESSOR_DELETION_UNCONFIRMED`,
            `WEBHOOK_DEAD_LETTER`, `PARTNER_NOTIFICATION_OVERDUE`, `PARTNER_NO_WEBHOOK`,
            `POLICY_STALE`, `INCIDENT_NOTICE_NEAR_DUE`, `INCIDENT_NOTICE_OVERDUE`,
            `POLICY_TRANSFER_EXPIRING`, `POLICY_TRANSFER_EXPIRED`, `POLICY_CONTRACT_EXPIRING`,
            `POLICY_CONTRACT_EXPIRED`.
        since (str): Since when the alert applies.
        contract (None | str | Unset): The contract's id, for `POLICY_CONTRACT_*` (SP-04); `recipient` names whose.
        due_at (None | str | Unset): The notice's due time, for `INCIDENT_NOTICE_*`.
        incident (None | str | Unset): The incident, for `INCIDENT_NOTICE_*` (SEC-06, GDPR-30, GDPR-31: a breach notice
            due
            within 24 hours or past due; `GET /v1/incidents/{id}`).
        mechanism (None | str | Unset): The transfer mechanism or certification as the policy names it (`dpf`, `scc` …),
            for
            `POLICY_TRANSFER_*` (DPF-02); `recipient` names whose.
        notice (None | str | Unset): The notice of that incident (its id, to mark it sent).
        notice_to (None | str | Unset): To whom the notice goes: `supervisory_authority`, `data_subjects`,
            `state_residents:CA` …
        notification (None | str | Unset): The partner notification, for partner alerts (and their dead letters).
        policy_version (None | str | Unset): The policy version, for `POLICY_STALE` (CHG-05: the policy in force took
            effect more
            than 12 months ago).
        recipient (None | str | Unset): The recipient, for processor and partner alerts.
        request (None | str | Unset): The request, for request alerts.
        until (None | str | Unset): The last day the mechanism or contract is in force (`YYYY-MM-DD`, UTC), for
            `POLICY_TRANSFER_*` and `POLICY_CONTRACT_*`.
    """

    kind: str
    since: str
    contract: None | str | Unset = UNSET
    due_at: None | str | Unset = UNSET
    incident: None | str | Unset = UNSET
    mechanism: None | str | Unset = UNSET
    notice: None | str | Unset = UNSET
    notice_to: None | str | Unset = UNSET
    notification: None | str | Unset = UNSET
    policy_version: None | str | Unset = UNSET
    recipient: None | str | Unset = UNSET
    request: None | str | Unset = UNSET
    until: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        since = self.since

        contract: None | str | Unset
        if isinstance(self.contract, Unset):
            contract = UNSET
        else:
            contract = self.contract

        due_at: None | str | Unset
        if isinstance(self.due_at, Unset):
            due_at = UNSET
        else:
            due_at = self.due_at

        incident: None | str | Unset
        if isinstance(self.incident, Unset):
            incident = UNSET
        else:
            incident = self.incident

        mechanism: None | str | Unset
        if isinstance(self.mechanism, Unset):
            mechanism = UNSET
        else:
            mechanism = self.mechanism

        notice: None | str | Unset
        if isinstance(self.notice, Unset):
            notice = UNSET
        else:
            notice = self.notice

        notice_to: None | str | Unset
        if isinstance(self.notice_to, Unset):
            notice_to = UNSET
        else:
            notice_to = self.notice_to

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

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        else:
            until = self.until

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "since": since,
            }
        )
        if contract is not UNSET:
            field_dict["contract"] = contract
        if due_at is not UNSET:
            field_dict["due_at"] = due_at
        if incident is not UNSET:
            field_dict["incident"] = incident
        if mechanism is not UNSET:
            field_dict["mechanism"] = mechanism
        if notice is not UNSET:
            field_dict["notice"] = notice
        if notice_to is not UNSET:
            field_dict["notice_to"] = notice_to
        if notification is not UNSET:
            field_dict["notification"] = notification
        if policy_version is not UNSET:
            field_dict["policy_version"] = policy_version
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if request is not UNSET:
            field_dict["request"] = request
        if until is not UNSET:
            field_dict["until"] = until

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        since = d.pop("since")

        def _parse_contract(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contract = _parse_contract(d.pop("contract", UNSET))

        def _parse_due_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        due_at = _parse_due_at(d.pop("due_at", UNSET))

        def _parse_incident(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        incident = _parse_incident(d.pop("incident", UNSET))

        def _parse_mechanism(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        mechanism = _parse_mechanism(d.pop("mechanism", UNSET))

        def _parse_notice(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice = _parse_notice(d.pop("notice", UNSET))

        def _parse_notice_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice_to = _parse_notice_to(d.pop("notice_to", UNSET))

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

        def _parse_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        until = _parse_until(d.pop("until", UNSET))

        alert_out = cls(
            kind=kind,
            since=since,
            contract=contract,
            due_at=due_at,
            incident=incident,
            mechanism=mechanism,
            notice=notice,
            notice_to=notice_to,
            notification=notification,
            policy_version=policy_version,
            recipient=recipient,
            request=request,
            until=until,
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
