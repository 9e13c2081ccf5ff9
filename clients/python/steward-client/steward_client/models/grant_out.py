from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="GrantOut")


@_attrs_define
class GrantOut:
    """An administrator grant.

    Attributes:
        account_id (str): Account.
        granted_at (str): Granted.
        granted_by (str): Grantor.
        grantee_id (str): Grantee.
        id (str): Id.
        permissions (list[str]): Permissions.
        warning_ack_at (str): When the warning was acknowledged.
        revoked_at (None | str | Unset): Revoked.
        revoked_by (None | str | Unset): By whom.
    """

    account_id: str
    granted_at: str
    granted_by: str
    grantee_id: str
    id: str
    permissions: list[str]
    warning_ack_at: str
    revoked_at: None | str | Unset = UNSET
    revoked_by: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        granted_at = self.granted_at

        granted_by = self.granted_by

        grantee_id = self.grantee_id

        id = self.id

        permissions = self.permissions

        warning_ack_at = self.warning_ack_at

        revoked_at: None | str | Unset
        if isinstance(self.revoked_at, Unset):
            revoked_at = UNSET
        else:
            revoked_at = self.revoked_at

        revoked_by: None | str | Unset
        if isinstance(self.revoked_by, Unset):
            revoked_by = UNSET
        else:
            revoked_by = self.revoked_by

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_id": account_id,
                "granted_at": granted_at,
                "granted_by": granted_by,
                "grantee_id": grantee_id,
                "id": id,
                "permissions": permissions,
                "warning_ack_at": warning_ack_at,
            }
        )
        if revoked_at is not UNSET:
            field_dict["revoked_at"] = revoked_at
        if revoked_by is not UNSET:
            field_dict["revoked_by"] = revoked_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        account_id = d.pop("account_id")

        granted_at = d.pop("granted_at")

        granted_by = d.pop("granted_by")

        grantee_id = d.pop("grantee_id")

        id = d.pop("id")

        permissions = cast(list[str], d.pop("permissions"))

        warning_ack_at = d.pop("warning_ack_at")

        def _parse_revoked_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_at = _parse_revoked_at(d.pop("revoked_at", UNSET))

        def _parse_revoked_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        revoked_by = _parse_revoked_by(d.pop("revoked_by", UNSET))

        grant_out = cls(
            account_id=account_id,
            granted_at=granted_at,
            granted_by=granted_by,
            grantee_id=grantee_id,
            id=id,
            permissions=permissions,
            warning_ack_at=warning_ack_at,
            revoked_at=revoked_at,
            revoked_by=revoked_by,
        )

        grant_out.additional_properties = d
        return grant_out

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
