from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ObligationsJson")


@_attrs_define
class ObligationsJson:
    """Obligations JSON.

    Attributes:
        audit (bool): Audit the decision.
        aggregate_k (int | None | Unset): Aggregate with at least this group size.
        art14_notice (bool | Unset): Art. 14 notice due within a month.
        canspam_identify (bool | Unset): Identify as advertising with the postal address.
        coarsen_ft (int | None | Unset): Coarsen location to at least this radius (feet).
        notice_suppressed (bool | Unset): Notice suppressed by a gag order.
        notify_subject (bool | Unset): Notify the subject.
        pseudonymize (bool | Unset): Pseudonymize before storage.
        record_collection (bool | Unset): Record the collection.
        record_disclosure (bool | Unset): Record the disclosure when it happens.
        redact (list[str] | Unset): Categories to drop.
        right_to_object_notice (bool | Unset): Bring the right to object to attention.
        unsubscribe_link (bool | Unset): Include an unsubscribe link.
    """

    audit: bool
    aggregate_k: int | None | Unset = UNSET
    art14_notice: bool | Unset = UNSET
    canspam_identify: bool | Unset = UNSET
    coarsen_ft: int | None | Unset = UNSET
    notice_suppressed: bool | Unset = UNSET
    notify_subject: bool | Unset = UNSET
    pseudonymize: bool | Unset = UNSET
    record_collection: bool | Unset = UNSET
    record_disclosure: bool | Unset = UNSET
    redact: list[str] | Unset = UNSET
    right_to_object_notice: bool | Unset = UNSET
    unsubscribe_link: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        audit = self.audit

        aggregate_k: int | None | Unset
        if isinstance(self.aggregate_k, Unset):
            aggregate_k = UNSET
        else:
            aggregate_k = self.aggregate_k

        art14_notice = self.art14_notice

        canspam_identify = self.canspam_identify

        coarsen_ft: int | None | Unset
        if isinstance(self.coarsen_ft, Unset):
            coarsen_ft = UNSET
        else:
            coarsen_ft = self.coarsen_ft

        notice_suppressed = self.notice_suppressed

        notify_subject = self.notify_subject

        pseudonymize = self.pseudonymize

        record_collection = self.record_collection

        record_disclosure = self.record_disclosure

        redact: list[str] | Unset = UNSET
        if not isinstance(self.redact, Unset):
            redact = self.redact

        right_to_object_notice = self.right_to_object_notice

        unsubscribe_link = self.unsubscribe_link

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "audit": audit,
            }
        )
        if aggregate_k is not UNSET:
            field_dict["aggregate_k"] = aggregate_k
        if art14_notice is not UNSET:
            field_dict["art14_notice"] = art14_notice
        if canspam_identify is not UNSET:
            field_dict["canspam_identify"] = canspam_identify
        if coarsen_ft is not UNSET:
            field_dict["coarsen_ft"] = coarsen_ft
        if notice_suppressed is not UNSET:
            field_dict["notice_suppressed"] = notice_suppressed
        if notify_subject is not UNSET:
            field_dict["notify_subject"] = notify_subject
        if pseudonymize is not UNSET:
            field_dict["pseudonymize"] = pseudonymize
        if record_collection is not UNSET:
            field_dict["record_collection"] = record_collection
        if record_disclosure is not UNSET:
            field_dict["record_disclosure"] = record_disclosure
        if redact is not UNSET:
            field_dict["redact"] = redact
        if right_to_object_notice is not UNSET:
            field_dict["right_to_object_notice"] = right_to_object_notice
        if unsubscribe_link is not UNSET:
            field_dict["unsubscribe_link"] = unsubscribe_link

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        audit = d.pop("audit")

        def _parse_aggregate_k(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        aggregate_k = _parse_aggregate_k(d.pop("aggregate_k", UNSET))

        art14_notice = d.pop("art14_notice", UNSET)

        canspam_identify = d.pop("canspam_identify", UNSET)

        def _parse_coarsen_ft(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        coarsen_ft = _parse_coarsen_ft(d.pop("coarsen_ft", UNSET))

        notice_suppressed = d.pop("notice_suppressed", UNSET)

        notify_subject = d.pop("notify_subject", UNSET)

        pseudonymize = d.pop("pseudonymize", UNSET)

        record_collection = d.pop("record_collection", UNSET)

        record_disclosure = d.pop("record_disclosure", UNSET)

        redact = cast(list[str], d.pop("redact", UNSET))

        right_to_object_notice = d.pop("right_to_object_notice", UNSET)

        unsubscribe_link = d.pop("unsubscribe_link", UNSET)

        obligations_json = cls(
            audit=audit,
            aggregate_k=aggregate_k,
            art14_notice=art14_notice,
            canspam_identify=canspam_identify,
            coarsen_ft=coarsen_ft,
            notice_suppressed=notice_suppressed,
            notify_subject=notify_subject,
            pseudonymize=pseudonymize,
            record_collection=record_collection,
            record_disclosure=record_disclosure,
            redact=redact,
            right_to_object_notice=right_to_object_notice,
            unsubscribe_link=unsubscribe_link,
        )

        obligations_json.additional_properties = d
        return obligations_json

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
