from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyOut")


@_attrs_define
class KeyOut:
    """A key's record.

    Attributes:
        created_at (str): Created.
        id (str): Id.
        name (str): Name.
        scopes (list[str]): Scopes.
        account_id (None | str | Unset): Account limit.
        rate_per_sec (int | None | Unset): Rate limit.
        revoked_at (None | str | Unset): Revoked.
    """

    created_at: str
    id: str
    name: str
    scopes: list[str]
    account_id: None | str | Unset = UNSET
    rate_per_sec: int | None | Unset = UNSET
    revoked_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at

        id = self.id

        name = self.name

        scopes = self.scopes

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        rate_per_sec: int | None | Unset
        if isinstance(self.rate_per_sec, Unset):
            rate_per_sec = UNSET
        else:
            rate_per_sec = self.rate_per_sec

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "name": name,
                "scopes": scopes,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if rate_per_sec is not UNSET:
            field_dict["rate_per_sec"] = rate_per_sec
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = d.pop("created_at")

        id = d.pop("id")

        name = d.pop("name")

        scopes = cast(list[str], d.pop("scopes"))

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        def _parse_rate_per_sec(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_per_sec = _parse_rate_per_sec(d.pop("rate_per_sec", UNSET))

        def _parse_revoked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        key_out = cls(
            created_at=created_at,
            id=id,
            name=name,
            scopes=scopes,
            account_id=account_id,
            rate_per_sec=rate_per_sec,
            revoked_at=revoked_at,
        )

        key_out.additional_properties = d
        return key_out

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
