from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.policy_version_status import PolicyVersionStatus

T = TypeVar("T", bound="PolicyVersionOut")


@_attrs_define
class PolicyVersionOut:
    """A recorded version of the policy text (CHG-01).

    Attributes:
        effective (str): Its effective date (`YYYY-MM-DD`).
        material (bool): Whether any change against the version recorded before it is material (CHG-03).
        recorded_at (str): When this text was first recorded (RFC 3339).
        sha256 (str): SHA-256 of the text (hex).
        stale (bool): CHG-05: in force and its effective date is more than 12 months ago.
        status (PolicyVersionStatus): How a recorded policy version stands (CHG-01).
        version (str): The policy's version string.
    """

    effective: str
    material: bool
    recorded_at: str
    sha256: str
    stale: bool
    status: PolicyVersionStatus
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        effective = self.effective

        material = self.material

        recorded_at = self.recorded_at

        sha256 = self.sha256

        stale = self.stale

        status = self.status.value

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "effective": effective,
                "material": material,
                "recorded_at": recorded_at,
                "sha256": sha256,
                "stale": stale,
                "status": status,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        effective = d.pop("effective")

        material = d.pop("material")

        recorded_at = d.pop("recorded_at")

        sha256 = d.pop("sha256")

        stale = d.pop("stale")

        status = PolicyVersionStatus(d.pop("status"))

        version = d.pop("version")

        policy_version_out = cls(
            effective=effective,
            material=material,
            recorded_at=recorded_at,
            sha256=sha256,
            stale=stale,
            status=status,
            version=version,
        )

        policy_version_out.additional_properties = d
        return policy_version_out

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
