from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MotionIn")


@_attrs_define
class MotionIn:
    """One motion reading.

    Attributes:
        at (datetime.datetime): When (RFC 3339).
        x (float): Acceleration on the x axis, m/s².
        y (float): Y axis.
        z (float): Z axis.
    """

    at: datetime.datetime
    x: float
    y: float
    z: float

    def to_dict(self) -> dict[str, Any]:
        at = self.at.isoformat()

        x = self.x

        y = self.y

        z = self.z

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "at": at,
                "x": x,
                "y": y,
                "z": z,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        at = datetime.datetime.fromisoformat(d.pop("at"))

        x = d.pop("x")

        y = d.pop("y")

        z = d.pop("z")

        motion_in = cls(
            at=at,
            x=x,
            y=y,
            z=z,
        )

        return motion_in
