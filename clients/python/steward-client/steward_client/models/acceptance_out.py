from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AcceptanceOut")


@_attrs_define
class AcceptanceOut:
    """A recorded acceptance.

    Attributes:
        accepted_at (str): When.
        accepted_by (str): The member who accepted.
        account_id (str): The account.
        agreement (str): The agreement's id in the policy.
        id (str): Id.
        version (str): The text version accepted.
        text_sha256 (None | str | Unset): SHA-256 (hex) of the text shown, when the policy carries the text (USPSPA-01).
    """

    accepted_at: str
    accepted_by: str
    account_id: str
    agreement: str
    id: str
    version: str
    text_sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        accepted_at = self.accepted_at

        accepted_by = self.accepted_by

        account_id = self.account_id

        agreement = self.agreement

        id = self.id

        version = self.version

        text_sha256: None | str | Unset
        if isinstance(self.text_sha256, Unset):
            text_sha256 = UNSET
        else:
            text_sha256 = self.text_sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted_at": accepted_at,
                "accepted_by": accepted_by,
                "account_id": account_id,
                "agreement": agreement,
                "id": id,
                "version": version,
            }
        )
        if text_sha256 is not UNSET:
            field_dict["text_sha256"] = text_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        accepted_at = d.pop("accepted_at")

        accepted_by = d.pop("accepted_by")

        account_id = d.pop("account_id")

        agreement = d.pop("agreement")

        id = d.pop("id")

        version = d.pop("version")

        def _parse_text_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text_sha256 = _parse_text_sha256(d.pop("text_sha256", UNSET))

        acceptance_out = cls(
            accepted_at=accepted_at,
            accepted_by=accepted_by,
            account_id=account_id,
            agreement=agreement,
            id=id,
            version=version,
            text_sha256=text_sha256,
        )

        acceptance_out.additional_properties = d
        return acceptance_out

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
