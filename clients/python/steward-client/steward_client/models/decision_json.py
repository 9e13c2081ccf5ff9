from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.obligations_json import ObligationsJson


T = TypeVar("T", bound="DecisionJson")


@_attrs_define
class DecisionJson:
    """Decision JSON (see `docs/decisions.md`).

    Attributes:
        allow (bool): Allowed?
        clause (str): The clause the decision rests on.
        obligations (ObligationsJson): Obligations JSON.
        policy_version (str): Policy version.
        reason (str): Reason code (§0.4), or the code a purpose lock of the policy declares.
        requirements (list[str]): Requirement ids.
        rule (str): The rule's origin (`recipient `MP1``, `builtin Transfer`).
        allowed (list[str] | Unset): For disclosures: requested categories that may go.
        detail (None | str | Unset): Detail: the excluded category, the missing clause, or the purpose lock.
        excluded (list[str] | Unset): For disclosures: requested categories that may not.
    """

    allow: bool
    clause: str
    obligations: ObligationsJson
    policy_version: str
    reason: str
    requirements: list[str]
    rule: str
    allowed: list[str] | Unset = UNSET
    detail: None | str | Unset = UNSET
    excluded: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        allow = self.allow

        clause = self.clause

        obligations = self.obligations.to_dict()

        policy_version = self.policy_version

        reason = self.reason

        requirements = self.requirements

        rule = self.rule

        allowed: list[str] | Unset = UNSET
        if not isinstance(self.allowed, Unset):
            allowed = self.allowed

        detail: None | str | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        else:
            detail = self.detail

        excluded: list[str] | Unset = UNSET
        if not isinstance(self.excluded, Unset):
            excluded = self.excluded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "allow": allow,
                "clause": clause,
                "obligations": obligations,
                "policy_version": policy_version,
                "reason": reason,
                "requirements": requirements,
                "rule": rule,
            }
        )
        if allowed is not UNSET:
            field_dict["allowed"] = allowed
        if detail is not UNSET:
            field_dict["detail"] = detail
        if excluded is not UNSET:
            field_dict["excluded"] = excluded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.obligations_json import ObligationsJson  # noqa: PLC0415

        d = dict(src_dict)
        allow = d.pop("allow")

        clause = d.pop("clause")

        obligations = ObligationsJson.from_dict(d.pop("obligations"))

        policy_version = d.pop("policy_version")

        reason = d.pop("reason")

        requirements = cast(list[str], d.pop("requirements"))

        rule = d.pop("rule")

        allowed = cast(list[str], d.pop("allowed", UNSET))

        def _parse_detail(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        excluded = cast(list[str], d.pop("excluded", UNSET))

        decision_json = cls(
            allow=allow,
            clause=clause,
            obligations=obligations,
            policy_version=policy_version,
            reason=reason,
            requirements=requirements,
            rule=rule,
            allowed=allowed,
            detail=detail,
            excluded=excluded,
        )

        decision_json.additional_properties = d
        return decision_json

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
