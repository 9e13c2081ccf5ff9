from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CaseFailure")


@_attrs_define
class CaseFailure:
    """A failed policy test case.

    Attributes:
        failures (list[str]): Why it failed.
        file (str): Case file.
        id (str): Case id.
        requirements (list[str]): Requirement ids it covers.
    """

    failures: list[str]
    file: str
    id: str
    requirements: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        failures = self.failures

        file = self.file

        id = self.id

        requirements = self.requirements

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "failures": failures,
                "file": file,
                "id": id,
                "requirements": requirements,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        failures = cast(list[str], d.pop("failures"))

        file = d.pop("file")

        id = d.pop("id")

        requirements = cast(list[str], d.pop("requirements"))

        case_failure = cls(
            failures=failures,
            file=file,
            id=id,
            requirements=requirements,
        )

        case_failure.additional_properties = d
        return case_failure

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
