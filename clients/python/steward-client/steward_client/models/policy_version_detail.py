from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.policy_change_out import PolicyChangeOut
    from ..models.policy_version_out import PolicyVersionOut


T = TypeVar("T", bound="PolicyVersionDetail")


@_attrs_define
class PolicyVersionDetail:
    """One recorded policy version with its change summary and text.

    Attributes:
        changes (list[PolicyChangeOut]): What changed against the version recorded before it (empty for the first).
        summary (PolicyVersionOut): A recorded version of the policy text (CHG-01).
        text (str): The policy file's text.
    """

    changes: list[PolicyChangeOut]
    summary: PolicyVersionOut
    text: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changes = []
        for changes_item_data in self.changes:
            changes_item = changes_item_data.to_dict()
            changes.append(changes_item)

        summary = self.summary.to_dict()

        text = self.text

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changes": changes,
                "summary": summary,
                "text": text,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_change_out import PolicyChangeOut  # noqa: PLC0415
        from ..models.policy_version_out import PolicyVersionOut  # noqa: PLC0415

        d = dict(src_dict)
        changes = []
        _changes = d.pop("changes")
        for changes_item_data in _changes:
            changes_item = PolicyChangeOut.from_dict(changes_item_data)

            changes.append(changes_item)

        summary = PolicyVersionOut.from_dict(d.pop("summary"))

        text = d.pop("text")

        policy_version_detail = cls(
            changes=changes,
            summary=summary,
            text=text,
        )

        policy_version_detail.additional_properties = d
        return policy_version_detail

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
