from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.batch_audit import BatchAudit
from ..types import UNSET, Unset

T = TypeVar("T", bound="BatchSummary")


@_attrs_define
class BatchSummary:
    """What is known of a batch once it is decided and audited (everything but the decisions).

    Attributes:
        allowed (int): Allows.
        audit (BatchAudit): How a batch is audited.
        count (int): Requests answered.
        denied (int): Denies.
        errors (int): Requests answered with an error object.
        audit_seq (int | None | Unset): Audit sequence number of the batch entry (`audit: batch`).
        batch_id (None | str | Unset): The batch id (`audit: batch`); decision `i` is `<batch_id>:<i>`.
        decisions_sha256 (None | str | Unset): SHA-256 (hex) of the `decisions` array exactly as sent (`audit: batch`),
            as recorded
            in the audit log.
    """

    allowed: int
    audit: BatchAudit
    count: int
    denied: int
    errors: int
    audit_seq: int | None | Unset = UNSET
    batch_id: None | str | Unset = UNSET
    decisions_sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allowed = self.allowed

        audit = self.audit.value

        count = self.count

        denied = self.denied

        errors = self.errors

        audit_seq: int | None | Unset
        if isinstance(self.audit_seq, Unset):
            audit_seq = UNSET
        else:
            audit_seq = self.audit_seq

        batch_id: None | str | Unset
        if isinstance(self.batch_id, Unset):
            batch_id = UNSET
        else:
            batch_id = self.batch_id

        decisions_sha256: None | str | Unset
        if isinstance(self.decisions_sha256, Unset):
            decisions_sha256 = UNSET
        else:
            decisions_sha256 = self.decisions_sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allowed": allowed,
                "audit": audit,
                "count": count,
                "denied": denied,
                "errors": errors,
            }
        )
        if audit_seq is not UNSET:
            field_dict["audit_seq"] = audit_seq
        if batch_id is not UNSET:
            field_dict["batch_id"] = batch_id
        if decisions_sha256 is not UNSET:
            field_dict["decisions_sha256"] = decisions_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        allowed = d.pop("allowed")

        audit = BatchAudit(d.pop("audit"))

        count = d.pop("count")

        denied = d.pop("denied")

        errors = d.pop("errors")

        def _parse_audit_seq(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        audit_seq = _parse_audit_seq(d.pop("audit_seq", UNSET))

        def _parse_batch_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        batch_id = _parse_batch_id(d.pop("batch_id", UNSET))

        def _parse_decisions_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decisions_sha256 = _parse_decisions_sha256(d.pop("decisions_sha256", UNSET))

        batch_summary = cls(
            allowed=allowed,
            audit=audit,
            count=count,
            denied=denied,
            errors=errors,
            audit_seq=audit_seq,
            batch_id=batch_id,
            decisions_sha256=decisions_sha256,
        )

        batch_summary.additional_properties = d
        return batch_summary

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
