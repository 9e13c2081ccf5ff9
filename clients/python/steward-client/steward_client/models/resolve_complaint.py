from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.resolution_dto import ResolutionDto

T = TypeVar("T", bound="ResolveComplaint")


@_attrs_define
class ResolveComplaint:
    """The resolution.

    Attributes:
        resolution (ResolutionDto): How a complaint ended.
    """

    resolution: ResolutionDto

    def to_dict(self) -> dict[str, Any]:
        resolution = self.resolution.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "resolution": resolution,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        resolution = ResolutionDto(d.pop("resolution"))

        resolve_complaint = cls(
            resolution=resolution,
        )

        return resolve_complaint
