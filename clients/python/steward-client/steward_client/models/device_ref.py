from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.device_kind_dto import DeviceKindDto

T = TypeVar("T", bound="DeviceRef")


@_attrs_define
class DeviceRef:
    """A device not (necessarily) linked to a subject.

    Attributes:
        id (str): The id (blind-indexed before storage; never stored in clear).
        kind (DeviceKindDto): A browser or device, by cookie or device id.
    """

    id: str
    kind: DeviceKindDto

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "kind": kind,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = DeviceKindDto(d.pop("kind"))

        device_ref = cls(
            id=id,
            kind=kind,
        )

        return device_ref
