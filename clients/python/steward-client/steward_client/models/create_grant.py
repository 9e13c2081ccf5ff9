from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.permission_dto import PermissionDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateGrant")


@_attrs_define
class CreateGrant:
    """A grant to make.

    Attributes:
        grantee_id (UUID): Who receives access (a current member).
        permissions (list[PermissionDto]): Permissions (at least one).
        warning_acknowledged (bool): The owner saw and acknowledged the warning of ADMIN-03 ("you are responsible for
            their
            actions"); the grant is refused otherwise.
        granted_by (None | Unset | UUID): The owner granting it (account-limited keys: the actor, which must be the
            owner).
    """

    grantee_id: UUID
    permissions: list[PermissionDto]
    warning_acknowledged: bool
    granted_by: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        grantee_id = str(self.grantee_id)

        permissions = []
        for permissions_item_data in self.permissions:
            permissions_item = permissions_item_data.value
            permissions.append(permissions_item)

        warning_acknowledged = self.warning_acknowledged

        granted_by: None | str | Unset
        if isinstance(self.granted_by, Unset):
            granted_by = UNSET
        elif isinstance(self.granted_by, UUID):
            granted_by = str(self.granted_by)
        else:
            granted_by = self.granted_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "grantee_id": grantee_id,
                "permissions": permissions,
                "warning_acknowledged": warning_acknowledged,
            }
        )
        if granted_by is not UNSET:
            field_dict["granted_by"] = granted_by

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        grantee_id = UUID(d.pop("grantee_id"))

        permissions = []
        _permissions = d.pop("permissions")
        for permissions_item_data in _permissions:
            permissions_item = PermissionDto(permissions_item_data)

            permissions.append(permissions_item)

        warning_acknowledged = d.pop("warning_acknowledged")

        def _parse_granted_by(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                granted_by_type_0 = UUID(data)

                return granted_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        granted_by = _parse_granted_by(d.pop("granted_by", UNSET))

        create_grant = cls(
            grantee_id=grantee_id,
            permissions=permissions,
            warning_acknowledged=warning_acknowledged,
            granted_by=granted_by,
        )

        return create_grant
