from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.named import Named
    from ..models.path_step import PathStep


T = TypeVar("T", bound="Explanation")


@_attrs_define
class Explanation:
    """A past decision explained (AUD-07): recorded inputs and outcome, requirement ids, and for
    stored subjects the DEC-00 `path` replayed from the ledger.

        Attributes:
            at (str): When it was decided.
            attributes (list[Named]): Recorded attributes (flags of the context, the subject's kind).
            audit_seq (int): Its audit sequence number.
            categories (list[str]): Categories asked about.
            decision_id (str): The decision id.
            op (str): The operation.
            requirements (list[str]): Requirement ids.
            allow (bool | None | Unset): Allowed?
            clause (None | str | Unset): For a replayed decision: the clause it rests on.
            engine_version (None | str | Unset): Engine version.
            jurisdiction (None | str | Unset): Jurisdiction.
            path (list[PathStep] | None | Unset): For a stored subject: the DEC-00 path replayed from the ledger as it was
                at the
                decision's time.
            policy_version (None | str | Unset): Policy version.
            purpose (None | str | Unset): Purpose.
            reason (None | str | Unset): Reason code.
            recipient (None | str | Unset): Recipient.
            replay_matches (bool | None | Unset): For a replayed decision: the replay reached the recorded outcome.
            replayed_with_current_policy (bool | None | Unset): For a replayed decision: the policy changed since, so the
                replay used the policy in
                force now.
            subject_id (None | str | Unset): The stored subject, if any.
    """

    at: str
    attributes: list[Named]
    audit_seq: int
    categories: list[str]
    decision_id: str
    op: str
    requirements: list[str]
    allow: bool | None | Unset = UNSET
    clause: None | str | Unset = UNSET
    engine_version: None | str | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    path: list[PathStep] | None | Unset = UNSET
    policy_version: None | str | Unset = UNSET
    purpose: None | str | Unset = UNSET
    reason: None | str | Unset = UNSET
    recipient: None | str | Unset = UNSET
    replay_matches: bool | None | Unset = UNSET
    replayed_with_current_policy: bool | None | Unset = UNSET
    subject_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        at = self.at

        attributes = []
        for attributes_item_data in self.attributes:
            attributes_item = attributes_item_data.to_dict()
            attributes.append(attributes_item)

        audit_seq = self.audit_seq

        categories = self.categories

        decision_id = self.decision_id

        op = self.op

        requirements = self.requirements

        allow: bool | None | Unset
        if isinstance(self.allow, Unset):
            allow = UNSET
        else:
            allow = self.allow

        clause: None | str | Unset
        if isinstance(self.clause, Unset):
            clause = UNSET
        else:
            clause = self.clause

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

        path: list[dict[str, Any]] | None | Unset
        if isinstance(self.path, Unset):
            path = UNSET
        elif isinstance(self.path, list):
            path = []
            for path_type_0_item_data in self.path:
                path_type_0_item = path_type_0_item_data.to_dict()
                path.append(path_type_0_item)

        else:
            path = self.path

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

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        recipient: None | str | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        else:
            recipient = self.recipient

        replay_matches: bool | None | Unset
        if isinstance(self.replay_matches, Unset):
            replay_matches = UNSET
        else:
            replay_matches = self.replay_matches

        replayed_with_current_policy: bool | None | Unset
        if isinstance(self.replayed_with_current_policy, Unset):
            replayed_with_current_policy = UNSET
        else:
            replayed_with_current_policy = self.replayed_with_current_policy

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        else:
            subject_id = self.subject_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "at": at,
                "attributes": attributes,
                "audit_seq": audit_seq,
                "categories": categories,
                "decision_id": decision_id,
                "op": op,
                "requirements": requirements,
            }
        )
        if allow is not UNSET:
            field_dict["allow"] = allow
        if clause is not UNSET:
            field_dict["clause"] = clause
        if engine_version is not UNSET:
            field_dict["engine_version"] = engine_version
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if path is not UNSET:
            field_dict["path"] = path
        if policy_version is not UNSET:
            field_dict["policy_version"] = policy_version
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if reason is not UNSET:
            field_dict["reason"] = reason
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if replay_matches is not UNSET:
            field_dict["replay_matches"] = replay_matches
        if replayed_with_current_policy is not UNSET:
            field_dict["replayed_with_current_policy"] = replayed_with_current_policy
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.named import Named  # noqa: PLC0415
        from ..models.path_step import PathStep  # noqa: PLC0415

        d = dict(src_dict)
        at = d.pop("at")

        attributes = []
        _attributes = d.pop("attributes")
        for attributes_item_data in _attributes:
            attributes_item = Named.from_dict(attributes_item_data)

            attributes.append(attributes_item)

        audit_seq = d.pop("audit_seq")

        categories = cast(list[str], d.pop("categories"))

        decision_id = d.pop("decision_id")

        op = d.pop("op")

        requirements = cast(list[str], d.pop("requirements"))

        def _parse_allow(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        allow = _parse_allow(d.pop("allow", UNSET))

        def _parse_clause(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        clause = _parse_clause(d.pop("clause", UNSET))

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

        def _parse_path(data: object) -> list[PathStep] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                path_type_0 = []
                _path_type_0 = data
                for path_type_0_item_data in _path_type_0:
                    path_type_0_item = PathStep.from_dict(path_type_0_item_data)

                    path_type_0.append(path_type_0_item)

                return path_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PathStep] | None | Unset, data)

        path = _parse_path(d.pop("path", UNSET))

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

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_recipient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient = _parse_recipient(d.pop("recipient", UNSET))

        def _parse_replay_matches(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        replay_matches = _parse_replay_matches(d.pop("replay_matches", UNSET))

        def _parse_replayed_with_current_policy(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        replayed_with_current_policy = _parse_replayed_with_current_policy(d.pop("replayed_with_current_policy", UNSET))

        def _parse_subject_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject_id = _parse_subject_id(d.pop("subject_id", UNSET))

        explanation = cls(
            at=at,
            attributes=attributes,
            audit_seq=audit_seq,
            categories=categories,
            decision_id=decision_id,
            op=op,
            requirements=requirements,
            allow=allow,
            clause=clause,
            engine_version=engine_version,
            jurisdiction=jurisdiction,
            path=path,
            policy_version=policy_version,
            purpose=purpose,
            reason=reason,
            recipient=recipient,
            replay_matches=replay_matches,
            replayed_with_current_policy=replayed_with_current_policy,
            subject_id=subject_id,
        )

        explanation.additional_properties = d
        return explanation

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
