from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.step_out_detail_type_0 import StepOutDetailType0


T = TypeVar("T", bound="StepOut")


@_attrs_define
class StepOut:
    """A step of a request's trail.

    Attributes:
        action (str): What (`intake`, `verified`, `approved`, `run.started`, `completed` …).
        actor (str): Who (`system`, `service:<key>`, `subject:<id>`).
        at (str): When.
        state (str): State after.
        detail (None | StepOutDetailType0 | Unset): Details, by action (docs/requests.md); `null` for a shape this
            version does not know.
    """

    action: str
    actor: str
    at: str
    state: str
    detail: None | StepOutDetailType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.step_out_detail_type_0 import StepOutDetailType0  # noqa: PLC0415

        action = self.action

        actor = self.actor

        at = self.at

        state = self.state

        detail: dict[str, Any] | None | Unset
        if isinstance(self.detail, Unset):
            detail = UNSET
        elif isinstance(self.detail, StepOutDetailType0):
            detail = self.detail.to_dict()
        else:
            detail = self.detail

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "at": at,
                "state": state,
            }
        )
        if detail is not UNSET:
            field_dict["detail"] = detail

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_out_detail_type_0 import StepOutDetailType0  # noqa: PLC0415

        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        at = d.pop("at")

        state = d.pop("state")

        def _parse_detail(data: object) -> None | StepOutDetailType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                detail_type_0 = StepOutDetailType0.from_dict(data)

                return detail_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StepOutDetailType0 | Unset, data)

        detail = _parse_detail(d.pop("detail", UNSET))

        step_out = cls(
            action=action,
            actor=actor,
            at=at,
            state=state,
            detail=detail,
        )

        step_out.additional_properties = d
        return step_out

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
