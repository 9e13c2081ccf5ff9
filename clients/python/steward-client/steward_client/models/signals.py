from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.gpp_region_dto import GppRegionDto

T = TypeVar("T", bound="Signals")


@_attrs_define
class Signals:
    """The partner signals of a subject or device.

    Attributes:
        gpc (bool): GPC applies (now or persisted).
        gpp (str): The GPP string (`DBABBg~BUUAAACA.YA`).
        gpp_sid (list[int]): The applicable GPP sections.
        region (GppRegionDto): Where a consumer is, as far as GPP is concerned.
        sale_opt_out (bool): Effective opt-out of sale.
        share_opt_out (bool): Effective opt-out of sharing.
        us_privacy (str): The US Privacy string (send only to partners flagged `legacy_usp`).
    """

    gpc: bool
    gpp: str
    gpp_sid: list[int]
    region: GppRegionDto
    sale_opt_out: bool
    share_opt_out: bool
    us_privacy: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        gpc = self.gpc

        gpp = self.gpp

        gpp_sid = self.gpp_sid

        region = self.region.value

        sale_opt_out = self.sale_opt_out

        share_opt_out = self.share_opt_out

        us_privacy = self.us_privacy

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "gpc": gpc,
                "gpp": gpp,
                "gpp_sid": gpp_sid,
                "region": region,
                "sale_opt_out": sale_opt_out,
                "share_opt_out": share_opt_out,
                "us_privacy": us_privacy,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        gpc = d.pop("gpc")

        gpp = d.pop("gpp")

        gpp_sid = cast(list[int], d.pop("gpp_sid"))

        region = GppRegionDto(d.pop("region"))

        sale_opt_out = d.pop("sale_opt_out")

        share_opt_out = d.pop("share_opt_out")

        us_privacy = d.pop("us_privacy")

        signals = cls(
            gpc=gpc,
            gpp=gpp,
            gpp_sid=gpp_sid,
            region=region,
            sale_opt_out=sale_opt_out,
            share_opt_out=share_opt_out,
            us_privacy=us_privacy,
        )

        signals.additional_properties = d
        return signals

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
