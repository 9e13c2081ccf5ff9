from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.effective_choices_choices import EffectiveChoicesChoices
    from ..models.ignored_entry import IgnoredEntry


T = TypeVar("T", bound="EffectiveChoices")


@_attrs_define
class EffectiveChoices:
    """Effective choices with provenance (DEC-06): every field with `{value, source, at, entry,
    channel}`; audited as a decision.

        Attributes:
            choices (EffectiveChoicesChoices): Each choice with its provenance, by key.
            decision_id (str): The audited decision id of this answer.
            ignored (list[IgnoredEntry]): Ledger entries the fold ignored, with why.
            op (str): `effective_choices`.
            policy_version (str): Policy version.
            id (None | str | Unset): Your correlation id, echoed.
    """

    choices: EffectiveChoicesChoices
    decision_id: str
    ignored: list[IgnoredEntry]
    op: str
    policy_version: str
    id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        choices = self.choices.to_dict()

        decision_id = self.decision_id

        ignored = []
        for ignored_item_data in self.ignored:
            ignored_item = ignored_item_data.to_dict()
            ignored.append(ignored_item)

        op = self.op

        policy_version = self.policy_version

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "choices": choices,
                "decision_id": decision_id,
                "ignored": ignored,
                "op": op,
                "policy_version": policy_version,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.effective_choices_choices import EffectiveChoicesChoices  # noqa: PLC0415
        from ..models.ignored_entry import IgnoredEntry  # noqa: PLC0415

        d = dict(src_dict)
        choices = EffectiveChoicesChoices.from_dict(d.pop("choices"))

        decision_id = d.pop("decision_id")

        ignored = []
        _ignored = d.pop("ignored")
        for ignored_item_data in _ignored:
            ignored_item = IgnoredEntry.from_dict(ignored_item_data)

            ignored.append(ignored_item)

        op = d.pop("op")

        policy_version = d.pop("policy_version")

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        effective_choices = cls(
            choices=choices,
            decision_id=decision_id,
            ignored=ignored,
            op=op,
            policy_version=policy_version,
            id=id,
        )

        effective_choices.additional_properties = d
        return effective_choices

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
