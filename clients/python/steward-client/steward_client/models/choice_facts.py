from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.choice_facts_cookies import ChoiceFactsCookies
    from ..models.choice_facts_marketing import ChoiceFactsMarketing


T = TypeVar("T", bound="ChoiceFacts")


@_attrs_define
class ChoiceFacts:
    """Effective choices given as values.

    Attributes:
        cookies (ChoiceFactsCookies | Unset): Cookie consent per tracker category.
        eu_third_party_sharing (None | str | Unset): EU opt-in to third-party sharing:
            `given`/`refused`/`withdrawn`/`unset`.
        gpc (bool | None | Unset): GPC seen before (persisted).
        limit_spi (bool | None | Unset): Limit SPI.
        location_services (bool | None | Unset): Location services enabled.
        marketing (ChoiceFactsMarketing | Unset): Marketing: type (`first_party`, `third_party_offers`) → channel →
            `given`/`refused`/`withdrawn`/`unset`.
        minor_authorization (None | str | Unset): `none`, `self`, `parent`, `declined`.
        nv_no_sale (bool | None | Unset): Nevada no-sale.
        objection_direct_marketing (bool | None | Unset): Objection to direct marketing.
        objections_pending (list[str] | Unset): Purposes with a pending Art. 21(1) objection.
        objections_upheld (list[str] | Unset): Purposes with an upheld objection.
        purpose_consent (list[str] | Unset): Purposes consented to individually.
        purpose_withdrawn (list[str] | Unset): Purposes whose individual consent was withdrawn (or opted out of).
        recipient_consent (list[str] | Unset): Recipients consented to (or linked).
        recipient_withdrawn (list[str] | Unset): Recipients whose consent or link was withdrawn.
        sale_opt_out (bool | None | Unset): Opt-out of sale.
        share_opt_out (bool | None | Unset): Opt-out of sharing.
        third_party_sharing_opt_out (bool | None | Unset): Opt-out of third-party sharing.
    """

    cookies: ChoiceFactsCookies | Unset = UNSET
    eu_third_party_sharing: None | str | Unset = UNSET
    gpc: bool | None | Unset = UNSET
    limit_spi: bool | None | Unset = UNSET
    location_services: bool | None | Unset = UNSET
    marketing: ChoiceFactsMarketing | Unset = UNSET
    minor_authorization: None | str | Unset = UNSET
    nv_no_sale: bool | None | Unset = UNSET
    objection_direct_marketing: bool | None | Unset = UNSET
    objections_pending: list[str] | Unset = UNSET
    objections_upheld: list[str] | Unset = UNSET
    purpose_consent: list[str] | Unset = UNSET
    purpose_withdrawn: list[str] | Unset = UNSET
    recipient_consent: list[str] | Unset = UNSET
    recipient_withdrawn: list[str] | Unset = UNSET
    sale_opt_out: bool | None | Unset = UNSET
    share_opt_out: bool | None | Unset = UNSET
    third_party_sharing_opt_out: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cookies: dict[str, Any] | Unset = UNSET
        if not isinstance(self.cookies, Unset):
            cookies = self.cookies.to_dict()

        eu_third_party_sharing: None | str | Unset
        if isinstance(self.eu_third_party_sharing, Unset):
            eu_third_party_sharing = UNSET
        else:
            eu_third_party_sharing = self.eu_third_party_sharing

        gpc: bool | None | Unset
        if isinstance(self.gpc, Unset):
            gpc = UNSET
        else:
            gpc = self.gpc

        limit_spi: bool | None | Unset
        if isinstance(self.limit_spi, Unset):
            limit_spi = UNSET
        else:
            limit_spi = self.limit_spi

        location_services: bool | None | Unset
        if isinstance(self.location_services, Unset):
            location_services = UNSET
        else:
            location_services = self.location_services

        marketing: dict[str, Any] | Unset = UNSET
        if not isinstance(self.marketing, Unset):
            marketing = self.marketing.to_dict()

        minor_authorization: None | str | Unset
        if isinstance(self.minor_authorization, Unset):
            minor_authorization = UNSET
        else:
            minor_authorization = self.minor_authorization

        nv_no_sale: bool | None | Unset
        if isinstance(self.nv_no_sale, Unset):
            nv_no_sale = UNSET
        else:
            nv_no_sale = self.nv_no_sale

        objection_direct_marketing: bool | None | Unset
        if isinstance(self.objection_direct_marketing, Unset):
            objection_direct_marketing = UNSET
        else:
            objection_direct_marketing = self.objection_direct_marketing

        objections_pending: list[str] | Unset = UNSET
        if not isinstance(self.objections_pending, Unset):
            objections_pending = self.objections_pending

        objections_upheld: list[str] | Unset = UNSET
        if not isinstance(self.objections_upheld, Unset):
            objections_upheld = self.objections_upheld

        purpose_consent: list[str] | Unset = UNSET
        if not isinstance(self.purpose_consent, Unset):
            purpose_consent = self.purpose_consent

        purpose_withdrawn: list[str] | Unset = UNSET
        if not isinstance(self.purpose_withdrawn, Unset):
            purpose_withdrawn = self.purpose_withdrawn

        recipient_consent: list[str] | Unset = UNSET
        if not isinstance(self.recipient_consent, Unset):
            recipient_consent = self.recipient_consent

        recipient_withdrawn: list[str] | Unset = UNSET
        if not isinstance(self.recipient_withdrawn, Unset):
            recipient_withdrawn = self.recipient_withdrawn

        sale_opt_out: bool | None | Unset
        if isinstance(self.sale_opt_out, Unset):
            sale_opt_out = UNSET
        else:
            sale_opt_out = self.sale_opt_out

        share_opt_out: bool | None | Unset
        if isinstance(self.share_opt_out, Unset):
            share_opt_out = UNSET
        else:
            share_opt_out = self.share_opt_out

        third_party_sharing_opt_out: bool | None | Unset
        if isinstance(self.third_party_sharing_opt_out, Unset):
            third_party_sharing_opt_out = UNSET
        else:
            third_party_sharing_opt_out = self.third_party_sharing_opt_out

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if cookies is not UNSET:
            field_dict["cookies"] = cookies
        if eu_third_party_sharing is not UNSET:
            field_dict["eu_third_party_sharing"] = eu_third_party_sharing
        if gpc is not UNSET:
            field_dict["gpc"] = gpc
        if limit_spi is not UNSET:
            field_dict["limit_spi"] = limit_spi
        if location_services is not UNSET:
            field_dict["location_services"] = location_services
        if marketing is not UNSET:
            field_dict["marketing"] = marketing
        if minor_authorization is not UNSET:
            field_dict["minor_authorization"] = minor_authorization
        if nv_no_sale is not UNSET:
            field_dict["nv_no_sale"] = nv_no_sale
        if objection_direct_marketing is not UNSET:
            field_dict["objection_direct_marketing"] = objection_direct_marketing
        if objections_pending is not UNSET:
            field_dict["objections_pending"] = objections_pending
        if objections_upheld is not UNSET:
            field_dict["objections_upheld"] = objections_upheld
        if purpose_consent is not UNSET:
            field_dict["purpose_consent"] = purpose_consent
        if purpose_withdrawn is not UNSET:
            field_dict["purpose_withdrawn"] = purpose_withdrawn
        if recipient_consent is not UNSET:
            field_dict["recipient_consent"] = recipient_consent
        if recipient_withdrawn is not UNSET:
            field_dict["recipient_withdrawn"] = recipient_withdrawn
        if sale_opt_out is not UNSET:
            field_dict["sale_opt_out"] = sale_opt_out
        if share_opt_out is not UNSET:
            field_dict["share_opt_out"] = share_opt_out
        if third_party_sharing_opt_out is not UNSET:
            field_dict["third_party_sharing_opt_out"] = third_party_sharing_opt_out

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.choice_facts_cookies import ChoiceFactsCookies  # noqa: PLC0415
        from ..models.choice_facts_marketing import ChoiceFactsMarketing  # noqa: PLC0415

        d = dict(src_dict)
        _cookies = d.pop("cookies", UNSET)
        cookies: ChoiceFactsCookies | Unset
        if isinstance(_cookies, Unset):
            cookies = UNSET
        else:
            cookies = ChoiceFactsCookies.from_dict(_cookies)

        def _parse_eu_third_party_sharing(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        eu_third_party_sharing = _parse_eu_third_party_sharing(d.pop("eu_third_party_sharing", UNSET))

        def _parse_gpc(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        gpc = _parse_gpc(d.pop("gpc", UNSET))

        def _parse_limit_spi(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        limit_spi = _parse_limit_spi(d.pop("limit_spi", UNSET))

        def _parse_location_services(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        location_services = _parse_location_services(d.pop("location_services", UNSET))

        _marketing = d.pop("marketing", UNSET)
        marketing: ChoiceFactsMarketing | Unset
        if isinstance(_marketing, Unset):
            marketing = UNSET
        else:
            marketing = ChoiceFactsMarketing.from_dict(_marketing)

        def _parse_minor_authorization(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        minor_authorization = _parse_minor_authorization(d.pop("minor_authorization", UNSET))

        def _parse_nv_no_sale(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        nv_no_sale = _parse_nv_no_sale(d.pop("nv_no_sale", UNSET))

        def _parse_objection_direct_marketing(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        objection_direct_marketing = _parse_objection_direct_marketing(d.pop("objection_direct_marketing", UNSET))

        objections_pending = cast(list[str], d.pop("objections_pending", UNSET))

        objections_upheld = cast(list[str], d.pop("objections_upheld", UNSET))

        purpose_consent = cast(list[str], d.pop("purpose_consent", UNSET))

        purpose_withdrawn = cast(list[str], d.pop("purpose_withdrawn", UNSET))

        recipient_consent = cast(list[str], d.pop("recipient_consent", UNSET))

        recipient_withdrawn = cast(list[str], d.pop("recipient_withdrawn", UNSET))

        def _parse_sale_opt_out(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        sale_opt_out = _parse_sale_opt_out(d.pop("sale_opt_out", UNSET))

        def _parse_share_opt_out(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        share_opt_out = _parse_share_opt_out(d.pop("share_opt_out", UNSET))

        def _parse_third_party_sharing_opt_out(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        third_party_sharing_opt_out = _parse_third_party_sharing_opt_out(d.pop("third_party_sharing_opt_out", UNSET))

        choice_facts = cls(
            cookies=cookies,
            eu_third_party_sharing=eu_third_party_sharing,
            gpc=gpc,
            limit_spi=limit_spi,
            location_services=location_services,
            marketing=marketing,
            minor_authorization=minor_authorization,
            nv_no_sale=nv_no_sale,
            objection_direct_marketing=objection_direct_marketing,
            objections_pending=objections_pending,
            objections_upheld=objections_upheld,
            purpose_consent=purpose_consent,
            purpose_withdrawn=purpose_withdrawn,
            recipient_consent=recipient_consent,
            recipient_withdrawn=recipient_withdrawn,
            sale_opt_out=sale_opt_out,
            share_opt_out=share_opt_out,
            third_party_sharing_opt_out=third_party_sharing_opt_out,
        )

        return choice_facts
