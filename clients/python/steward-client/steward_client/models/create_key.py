from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.scope_dto import ScopeDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateKey")


@_attrs_define
class CreateKey:
    """A key to mint.

    Attributes:
        name (str): Name, `[a-z0-9_:.-]{1,64}` (e.g. `svc:checkout`); shown in the audit log.
        scopes (list[ScopeDto]): Scopes (`admin` implies the others).
        account_id (None | Unset | UUID): Limit the key to one account's data (account administrators, ADMIN-*).
        rate_per_sec (int | None | Unset): Requests per second allowed to this key.
    """

    name: str
    scopes: list[ScopeDto]
    account_id: None | Unset | UUID = UNSET
    rate_per_sec: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        elif isinstance(self.account_id, UUID):
            account_id = str(self.account_id)
        else:
            account_id = self.account_id

        rate_per_sec: int | None | Unset
        if isinstance(self.rate_per_sec, Unset):
            rate_per_sec = UNSET
        else:
            rate_per_sec = self.rate_per_sec

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "scopes": scopes,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if rate_per_sec is not UNSET:
            field_dict["rate_per_sec"] = rate_per_sec

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = ScopeDto(scopes_item_data)

            scopes.append(scopes_item)

        def _parse_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                account_id_type_0 = UUID(data)

                return account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        def _parse_rate_per_sec(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rate_per_sec = _parse_rate_per_sec(d.pop("rate_per_sec", UNSET))

        create_key = cls(
            name=name,
            scopes=scopes,
            account_id=account_id,
            rate_per_sec=rate_per_sec,
        )

        return create_key
