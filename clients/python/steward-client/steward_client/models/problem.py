from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.decision_answer import DecisionAnswer
    from ..models.effective_choices import EffectiveChoices


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """A problem document (RFC 9457).

    Attributes:
        code (str): The stable, machine-readable code (`BAD_JSON`, `NOT_FOUND`, `DENIED` …).
        detail (str): What went wrong in this occurrence (never personal data).
        status (int): The HTTP status.
        title (str): A short summary of the problem type.
        type_ (str): A URI naming the problem type: `urn:steward:problem:<code>`.
        decision (DecisionAnswer | EffectiveChoices | Unset): A decision (see docs/decisions.md) or, for
            `effective_choices`, the effective choices with provenance; with `decision_id`.
    """

    code: str
    detail: str
    status: int
    title: str
    type_: str
    decision: DecisionAnswer | EffectiveChoices | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.decision_answer import DecisionAnswer  # noqa: PLC0415

        code = self.code

        detail = self.detail

        status = self.status

        title = self.title

        type_ = self.type_

        decision: dict[str, Any] | Unset
        if isinstance(self.decision, Unset):
            decision = UNSET
        elif isinstance(self.decision, DecisionAnswer):
            decision = self.decision.to_dict()
        else:
            decision = self.decision.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "detail": detail,
                "status": status,
                "title": title,
                "type": type_,
            }
        )
        if decision is not UNSET:
            field_dict["decision"] = decision

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.decision_answer import DecisionAnswer  # noqa: PLC0415
        from ..models.effective_choices import EffectiveChoices  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        detail = d.pop("detail")

        status = d.pop("status")

        title = d.pop("title")

        type_ = d.pop("type")

        def _parse_decision(data: object) -> DecisionAnswer | EffectiveChoices | Unset:
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_decision_type_0 = DecisionAnswer.from_dict(data)

                return componentsschemas_decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_decision_type_1 = EffectiveChoices.from_dict(data)

            return componentsschemas_decision_type_1

        decision = _parse_decision(d.pop("decision", UNSET))

        problem = cls(
            code=code,
            detail=detail,
            status=status,
            title=title,
            type_=type_,
            decision=decision,
        )

        problem.additional_properties = d
        return problem

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
