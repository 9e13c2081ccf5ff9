from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="GpsIn")


@_attrs_define
class GpsIn:
    """One GPS fix.

    Attributes:
        at (datetime.datetime): When (RFC 3339).
        lat (float): Latitude, degrees (−90 to 90).
        lon (float): Longitude, degrees (−180 to 180).
        accuracy_m (float | None | Unset): Accuracy radius, metres.
    """

    at: datetime.datetime
    lat: float
    lon: float
    accuracy_m: float | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        lat = self.lat

        lon = self.lon

        accuracy_m: float | None | Unset
        if isinstance(self.accuracy_m, Unset):
            accuracy_m = UNSET
        else:
            accuracy_m = self.accuracy_m

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "lat": lat,
                "lon": lon,
            }
        )
        if accuracy_m is not UNSET:
            field_dict["accuracy_m"] = accuracy_m

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        lat = d.pop("lat")

        lon = d.pop("lon")

        def _parse_accuracy_m(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        accuracy_m = _parse_accuracy_m(d.pop("accuracy_m", UNSET))

        gps_in = cls(
            at=at,
            lat=lat,
            lon=lon,
            accuracy_m=accuracy_m,
        )

        return gps_in
