from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RequestCounts")


@_attrs_define
class RequestCounts:
    """Counts for the console and `/metrics`.

    Attributes:
        at_risk (int): Open and due within the at-risk window (DL-04).
        dead_letters (int): Webhook deliveries on the dead-letter list.
        open_ (int): Open requests.
        overdue (int): Open and past their deadline.
        partner_notifications_open (int): Partner opt-out notifications not acknowledged yet (ADTECH-03).
        partner_notifications_overdue (int): Open partner notifications past their due date (15 business days, CCPA-13).
        partner_notifications_without_webhook (int): Open partner notifications never sent because their recipient has
            no webhook endpoint.
        pending_messages (int): Outbox messages not sent yet.
        unconfirmed_overdue (int): Processor notifications delivered but unconfirmed past the follow-up period (RET-07).
    """

    at_risk: int
    dead_letters: int
    open_: int
    overdue: int
    partner_notifications_open: int
    partner_notifications_overdue: int
    partner_notifications_without_webhook: int
    pending_messages: int
    unconfirmed_overdue: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at_risk = self.at_risk

        dead_letters = self.dead_letters

        open_ = self.open_

        overdue = self.overdue

        partner_notifications_open = self.partner_notifications_open

        partner_notifications_overdue = self.partner_notifications_overdue

        partner_notifications_without_webhook = self.partner_notifications_without_webhook

        pending_messages = self.pending_messages

        unconfirmed_overdue = self.unconfirmed_overdue

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at_risk": at_risk,
                "dead_letters": dead_letters,
                "open": open_,
                "overdue": overdue,
                "partner_notifications_open": partner_notifications_open,
                "partner_notifications_overdue": partner_notifications_overdue,
                "partner_notifications_without_webhook": partner_notifications_without_webhook,
                "pending_messages": pending_messages,
                "unconfirmed_overdue": unconfirmed_overdue,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at_risk = d.pop("at_risk")

        dead_letters = d.pop("dead_letters")

        open_ = d.pop("open")

        overdue = d.pop("overdue")

        partner_notifications_open = d.pop("partner_notifications_open")

        partner_notifications_overdue = d.pop("partner_notifications_overdue")

        partner_notifications_without_webhook = d.pop("partner_notifications_without_webhook")

        pending_messages = d.pop("pending_messages")

        unconfirmed_overdue = d.pop("unconfirmed_overdue")

        request_counts = cls(
            at_risk=at_risk,
            dead_letters=dead_letters,
            open_=open_,
            overdue=overdue,
            partner_notifications_open=partner_notifications_open,
            partner_notifications_overdue=partner_notifications_overdue,
            partner_notifications_without_webhook=partner_notifications_without_webhook,
            pending_messages=pending_messages,
            unconfirmed_overdue=unconfirmed_overdue,
        )

        request_counts.additional_properties = d
        return request_counts

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
