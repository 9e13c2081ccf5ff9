from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WithdrawCarrier")


@_attrs_define
class WithdrawCarrier:
    """Withdraw a carrier selection.

    Attributes:
        withdrawn_by (None | Unset | UUID): The member who withdrew it (account-limited keys: the actor; default: the
            owner).
    """

    withdrawn_by: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        withdrawn_by: None | str | Unset
        if isinstance(self.withdrawn_by, Unset):
            withdrawn_by = UNSET
        elif isinstance(self.withdrawn_by, UUID):
            withdrawn_by = str(self.withdrawn_by)
        else:
            withdrawn_by = self.withdrawn_by

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if withdrawn_by is not UNSET:
            field_dict["withdrawn_by"] = withdrawn_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_withdrawn_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                withdrawn_by_type_0 = UUID(data)

                return withdrawn_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        withdrawn_by = _parse_withdrawn_by(d.pop("withdrawn_by", UNSET))

        withdraw_carrier = cls(
            withdrawn_by=withdrawn_by,
        )

        return withdraw_carrier
