from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.case_failure import CaseFailure


T = TypeVar("T", bound="PolicyTests")


@_attrs_define
class PolicyTests:
    """The shipped policy tests run against the policy in force.

    Attributes:
        covered_requirements (int): Requirement ids covered by a passing case.
        failed (int): Cases failed.
        failures (list[CaseFailure]): The failures.
        passed (int): Cases passed.
        policy (str): Policy file tested.
        total (int): Cases run.
    """

    covered_requirements: int
    failed: int
    failures: list[CaseFailure]
    passed: int
    policy: str
    total: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        covered_requirements = self.covered_requirements

        failed = self.failed

        failures = []
        for failures_item_data in self.failures:
            failures_item = failures_item_data.to_dict()
            failures.append(failures_item)

        passed = self.passed

        policy = self.policy

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "covered_requirements": covered_requirements,
                "failed": failed,
                "failures": failures,
                "passed": passed,
                "policy": policy,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.case_failure import CaseFailure  # noqa: PLC0415

        d = dict(src_dict)
        covered_requirements = d.pop("covered_requirements")

        failed = d.pop("failed")

        failures = []
        _failures = d.pop("failures")
        for failures_item_data in _failures:
            failures_item = CaseFailure.from_dict(failures_item_data)

            failures.append(failures_item)

        passed = d.pop("passed")

        policy = d.pop("policy")

        total = d.pop("total")

        policy_tests = cls(
            covered_requirements=covered_requirements,
            failed=failed,
            failures=failures,
            passed=passed,
            policy=policy,
            total=total,
        )

        policy_tests.additional_properties = d
        return policy_tests

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
