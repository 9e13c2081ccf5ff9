from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.redactions import Redactions


T = TypeVar("T", bound="SurveyStored")


@_attrs_define
class SurveyStored:
    """What was stored.

    Attributes:
        stored (bool): Whether anything was stored (empty answers store nothing).
        item_id (None | str | Unset): The `survey_answer` item.
        redactions (None | Redactions | Unset):
    """

    stored: bool
    item_id: None | str | Unset = UNSET
    redactions: None | Redactions | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.redactions import Redactions  # noqa: PLC0415

        stored = self.stored

        item_id: None | str | Unset
        if isinstance(self.item_id, Unset):
            item_id = UNSET
        else:
            item_id = self.item_id

        redactions: dict[str, Any] | None | Unset
        if isinstance(self.redactions, Unset):
            redactions = UNSET
        elif isinstance(self.redactions, Redactions):
            redactions = self.redactions.to_dict()
        else:
            redactions = self.redactions

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "stored": stored,
            }
        )
        if item_id is not UNSET:
            field_dict["item_id"] = item_id
        if redactions is not UNSET:
            field_dict["redactions"] = redactions

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.redactions import Redactions  # noqa: PLC0415

        d = dict(src_dict)
        stored = d.pop("stored")

        def _parse_item_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        item_id = _parse_item_id(d.pop("item_id", UNSET))

        def _parse_redactions(data: object) -> None | Redactions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                redactions_type_0 = Redactions.from_dict(data)

                return redactions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Redactions | Unset, data)

        redactions = _parse_redactions(d.pop("redactions", UNSET))

        survey_stored = cls(
            stored=stored,
            item_id=item_id,
            redactions=redactions,
        )

        survey_stored.additional_properties = d
        return survey_stored

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
