from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.scan_in import ScanIn


T = TypeVar("T", bound="ScansIn")


@_attrs_define
class ScansIn:
    """A batch of scans.

    Attributes:
        scans (list[ScanIn]): The scans (at most 10 000); each is checked on its own.
    """

    scans: list[ScanIn]

    def to_dict(self) -> dict[str, Any]:
        scans = []
        for scans_item_data in self.scans:
            scans_item = scans_item_data.to_dict()
            scans.append(scans_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "scans": scans,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.scan_in import ScanIn  # noqa: PLC0415

        d = dict(src_dict)
        scans = []
        _scans = d.pop("scans")
        for scans_item_data in _scans:
            scans_item = ScanIn.from_dict(scans_item_data)

            scans.append(scans_item)

        scans_in = cls(
            scans=scans,
        )

        return scans_in
