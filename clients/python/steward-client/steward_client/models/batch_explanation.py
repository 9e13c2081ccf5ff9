from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_record import BatchRecord


T = TypeVar("T", bound="BatchExplanation")


@_attrs_define
class BatchExplanation:
    """A decision of a batch audited as one entry: the batch's audit entry.

    Attributes:
        at (str): When the batch was decided.
        audit_seq (int): The batch entry's audit sequence number.
        batch (BatchRecord): The batch audit entry a batch decision belongs to.
        batch_id (str): The batch.
        decision_id (str): `<batch_id>:<index>`.
        index (int): Position in the batch.
        note (str): What a batch entry proves and what it does not.
        op (str): `decide_batch`.
        engine_version (None | str | Unset): Engine version.
        policy_version (None | str | Unset): Policy version.
    """

    at: str
    audit_seq: int
    batch: BatchRecord
    batch_id: str
    decision_id: str
    index: int
    note: str
    op: str
    engine_version: None | str | Unset = UNSET
    policy_version: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        audit_seq = self.audit_seq

        batch = self.batch.to_dict()

        batch_id = self.batch_id

        decision_id = self.decision_id

        index = self.index

        note = self.note

        op = self.op

        engine_version: None | str | Unset
        if isinstance(self.engine_version, Unset):
            engine_version = UNSET
        else:
            engine_version = self.engine_version

        policy_version: None | str | Unset
        if isinstance(self.policy_version, Unset):
            policy_version = UNSET
        else:
            policy_version = self.policy_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "audit_seq": audit_seq,
                "batch": batch,
                "batch_id": batch_id,
                "decision_id": decision_id,
                "index": index,
                "note": note,
                "op": op,
            }
        )
        if engine_version is not UNSET:
            field_dict["engine_version"] = engine_version
        if policy_version is not UNSET:
            field_dict["policy_version"] = policy_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_record import BatchRecord  # noqa: PLC0415

        d = dict(src_dict)
        at = d.pop("at")

        audit_seq = d.pop("audit_seq")

        batch = BatchRecord.from_dict(d.pop("batch"))

        batch_id = d.pop("batch_id")

        decision_id = d.pop("decision_id")

        index = d.pop("index")

        note = d.pop("note")

        op = d.pop("op")

        def _parse_engine_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        engine_version = _parse_engine_version(d.pop("engine_version", UNSET))

        def _parse_policy_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        policy_version = _parse_policy_version(d.pop("policy_version", UNSET))

        batch_explanation = cls(
            at=at,
            audit_seq=audit_seq,
            batch=batch,
            batch_id=batch_id,
            decision_id=decision_id,
            index=index,
            note=note,
            op=op,
            engine_version=engine_version,
            policy_version=policy_version,
        )

        batch_explanation.additional_properties = d
        return batch_explanation

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
