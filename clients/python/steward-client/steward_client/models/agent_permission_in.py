from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AgentPermissionIn")


@_attrs_define
class AgentPermissionIn:
    """An agent's permission.

    Attributes:
        sha256 (str): SHA-256 (hex) of the consumer's signed permission.
    """

    sha256: str

    def to_dict(self) -> dict[str, Any]:
        sha256 = self.sha256

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "sha256": sha256,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        sha256 = d.pop("sha256")

        agent_permission_in = cls(
            sha256=sha256,
        )

        return agent_permission_in
