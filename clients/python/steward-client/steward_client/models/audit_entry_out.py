from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.actor_out import ActorOut
    from ..models.named import Named
    from ..models.outcome_out import OutcomeOut


T = TypeVar("T", bound="AuditEntryOut")


@_attrs_define
class AuditEntryOut:
    """An audit entry (no personal data: ids, codes and digests only).

    Attributes:
        action (str): What was done.
        actor (ActorOut): Who acted.
        at (str): When.
        attributes (list[Named]): Attributes.
        categories (list[str]): Categories.
        digests (list[Named]): SHA-256 digests of values.
        hash_ (str): Chain hash (hex).
        id (str): Event id (a decision's id is its event id).
        kind (str): Kind.
        prev_hash (str): Previous chain hash (hex).
        refs (list[Named]): References to other records.
        rules (list[str]): Requirement ids.
        seq (int): Sequence number.
        account_id (None | str | Unset): Account concerned.
        engine_version (None | str | Unset): Engine version.
        jurisdiction (None | str | Unset): Jurisdiction.
        outcome (None | OutcomeOut | Unset):
        policy_version (None | str | Unset): Policy version.
        purpose (None | str | Unset): Purpose.
        recipient (None | str | Unset): Recipient.
        subject_id (None | str | Unset): Subject concerned.
    """

    action: str
    actor: ActorOut
    at: str
    attributes: list[Named]
    categories: list[str]
    digests: list[Named]
    hash_: str
    id: str
    kind: str
    prev_hash: str
    refs: list[Named]
    rules: list[str]
    seq: int
    account_id: None | str | Unset = UNSET
    engine_version: None | str | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    outcome: None | OutcomeOut | Unset = UNSET
    policy_version: None | str | Unset = UNSET
    purpose: None | str | Unset = UNSET
    recipient: None | str | Unset = UNSET
    subject_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.outcome_out import OutcomeOut  # noqa: PLC0415

        action = self.action

        actor = self.actor.to_dict()

        at = self.at

        attributes = []
        for attributes_item_data in self.attributes:
            attributes_item = attributes_item_data.to_dict()
            attributes.append(attributes_item)

        categories = self.categories

        digests = []
        for digests_item_data in self.digests:
            digests_item = digests_item_data.to_dict()
            digests.append(digests_item)

        hash_ = self.hash_

        id = self.id

        kind = self.kind

        prev_hash = self.prev_hash

        refs = []
        for refs_item_data in self.refs:
            refs_item = refs_item_data.to_dict()
            refs.append(refs_item)

        rules = self.rules

        seq = self.seq

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        engine_version: None | str | Unset
        if isinstance(self.engine_version, Unset):
            engine_version = UNSET
        else:
            engine_version = self.engine_version

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        outcome: dict[str, Any] | None | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, OutcomeOut):
            outcome = self.outcome.to_dict()
        else:
            outcome = self.outcome

        policy_version: None | str | Unset
        if isinstance(self.policy_version, Unset):
            policy_version = UNSET
        else:
            policy_version = self.policy_version

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        else:
            purpose = self.purpose

        recipient: None | str | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        else:
            recipient = self.recipient

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        else:
            subject_id = self.subject_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "at": at,
                "attributes": attributes,
                "categories": categories,
                "digests": digests,
                "hash": hash_,
                "id": id,
                "kind": kind,
                "prev_hash": prev_hash,
                "refs": refs,
                "rules": rules,
                "seq": seq,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if engine_version is not UNSET:
            field_dict["engine_version"] = engine_version
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if policy_version is not UNSET:
            field_dict["policy_version"] = policy_version
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_out import ActorOut  # noqa: PLC0415
        from ..models.named import Named  # noqa: PLC0415
        from ..models.outcome_out import OutcomeOut  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = ActorOut.from_dict(d.pop("actor"))

        at = d.pop("at")

        attributes = []
        _attributes = d.pop("attributes")
        for attributes_item_data in _attributes:
            attributes_item = Named.from_dict(attributes_item_data)

            attributes.append(attributes_item)

        categories = cast(list[str], d.pop("categories"))

        digests = []
        _digests = d.pop("digests")
        for digests_item_data in _digests:
            digests_item = Named.from_dict(digests_item_data)

            digests.append(digests_item)

        hash_ = d.pop("hash")

        id = d.pop("id")

        kind = d.pop("kind")

        prev_hash = d.pop("prev_hash")

        refs = []
        _refs = d.pop("refs")
        for refs_item_data in _refs:
            refs_item = Named.from_dict(refs_item_data)

            refs.append(refs_item)

        rules = cast(list[str], d.pop("rules"))

        seq = d.pop("seq")

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        def _parse_engine_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        engine_version = _parse_engine_version(d.pop("engine_version", UNSET))

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_outcome(data: object) -> None | OutcomeOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                outcome_type_0 = OutcomeOut.from_dict(data)

                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutcomeOut | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))

        def _parse_policy_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        policy_version = _parse_policy_version(d.pop("policy_version", UNSET))

        def _parse_purpose(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        def _parse_recipient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient = _parse_recipient(d.pop("recipient", UNSET))

        def _parse_subject_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject_id = _parse_subject_id(d.pop("subject_id", UNSET))

        audit_entry_out = cls(
            action=action,
            actor=actor,
            at=at,
            attributes=attributes,
            categories=categories,
            digests=digests,
            hash_=hash_,
            id=id,
            kind=kind,
            prev_hash=prev_hash,
            refs=refs,
            rules=rules,
            seq=seq,
            account_id=account_id,
            engine_version=engine_version,
            jurisdiction=jurisdiction,
            outcome=outcome,
            policy_version=policy_version,
            purpose=purpose,
            recipient=recipient,
            subject_id=subject_id,
        )

        audit_entry_out.additional_properties = d
        return audit_entry_out

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
