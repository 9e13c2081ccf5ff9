from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AcceptAgreement")


@_attrs_define
class AcceptAgreement:
    """An agreement of the policy accepted for an account, in the text version shown now.

    Attributes:
        agreement (str): The agreement's id in the policy (`customer_undertaking`, `usps_privacy_act_statement` …).
        accepted_by (None | Unset | UUID): The member who accepted (account-limited keys: the actor).
        version (None | str | Unset): The text version the person was shown; refused unless it is the policy's current
            one
            (default: the current one).
    """

    agreement: str
    accepted_by: None | Unset | UUID = UNSET
    version: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agreement = self.agreement

        accepted_by: None | str | Unset
        if isinstance(self.accepted_by, Unset):
            accepted_by = UNSET
        elif isinstance(self.accepted_by, UUID):
            accepted_by = str(self.accepted_by)
        else:
            accepted_by = self.accepted_by

        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agreement": agreement,
            }
        )
        if accepted_by is not UNSET:
            field_dict["accepted_by"] = accepted_by
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreement = d.pop("agreement")

        def _parse_accepted_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                accepted_by_type_0 = UUID(data)

                return accepted_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        accepted_by = _parse_accepted_by(d.pop("accepted_by", UNSET))

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        accept_agreement = cls(
            agreement=agreement,
            accepted_by=accepted_by,
            version=version,
        )

        return accept_agreement
