from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="LoginIn")


@_attrs_define
class LoginIn:
    """A log-in to record.

    Attributes:
        ip (str): From which address (sealed, for log-in security only; purged after 90 days).
        subject_id (UUID): Who logged in.
        device_id (None | str | Unset): The device id, if any (stored as its blind-index token).
    """

    ip: str
    subject_id: UUID
    device_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ip = self.ip

        subject_id = str(self.subject_id)

        device_id: None | str | Unset
        if isinstance(self.device_id, Unset):
            device_id = UNSET
        else:
            device_id = self.device_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ip": ip,
                "subject_id": subject_id,
            }
        )
        if device_id is not UNSET:
            field_dict["device_id"] = device_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ip = d.pop("ip")

        subject_id = UUID(d.pop("subject_id"))

        def _parse_device_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_id = _parse_device_id(d.pop("device_id", UNSET))

        login_in = cls(
            ip=ip,
            subject_id=subject_id,
            device_id=device_id,
        )

        return login_in
