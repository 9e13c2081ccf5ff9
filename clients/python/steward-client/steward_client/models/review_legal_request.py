from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.review_decision_dto import ReviewDecisionDto

T = TypeVar("T", bound="ReviewLegalRequest")


@_attrs_define
class ReviewLegalRequest:
    """The good-faith review.

    Attributes:
        decision (ReviewDecisionDto): A review decision.
        rationale (str): Why (LEGALREQ-02).
    """

    decision: ReviewDecisionDto
    rationale: str

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        rationale = self.rationale

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
                "rationale": rationale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = ReviewDecisionDto(d.pop("decision"))

        rationale = d.pop("rationale")

        review_legal_request = cls(
            decision=decision,
            rationale=rationale,
        )

        return review_legal_request
