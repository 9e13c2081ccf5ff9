from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.gps_in import GpsIn
    from ..models.motion_in import MotionIn


T = TypeVar("T", bound="LocationIn")


@_attrs_define
class LocationIn:
    """Location samples of one subject.

    Attributes:
        gps (list[GpsIn] | Unset): GPS fixes.
        motion (list[MotionIn] | Unset): Motion readings.
    """

    gps: list[GpsIn] | Unset = UNSET
    motion: list[MotionIn] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        gps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.gps, Unset):
            gps = []
            for gps_item_data in self.gps:
                gps_item = gps_item_data.to_dict()
                gps.append(gps_item)

        motion: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.motion, Unset):
            motion = []
            for motion_item_data in self.motion:
                motion_item = motion_item_data.to_dict()
                motion.append(motion_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if gps is not UNSET:
            field_dict["gps"] = gps
        if motion is not UNSET:
            field_dict["motion"] = motion

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.gps_in import GpsIn  # noqa: PLC0415
        from ..models.motion_in import MotionIn  # noqa: PLC0415

        d = dict(src_dict)
        _gps = d.pop("gps", UNSET)
        gps: list[GpsIn] | Unset = UNSET
        if _gps is not UNSET:
            gps = []
            for gps_item_data in _gps:
                gps_item = GpsIn.from_dict(gps_item_data)

                gps.append(gps_item)

        _motion = d.pop("motion", UNSET)
        motion: list[MotionIn] | Unset = UNSET
        if _motion is not UNSET:
            motion = []
            for motion_item_data in _motion:
                motion_item = MotionIn.from_dict(motion_item_data)

                motion.append(motion_item)

        location_in = cls(
            gps=gps,
            motion=motion,
        )

        return location_in
