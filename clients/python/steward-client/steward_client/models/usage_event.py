from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UsageEvent")


@_attrs_define
class UsageEvent:
    """One usage event as a caller sends it: one element of the JSON array of `POST /v1/events`,
    or one line of `steward events import`. Unknown fields reject that event only.

        Attributes:
            tracker (str): The tracker it came through (`analytics_uid`, `session_cookie`, `ads_pixel_3p` …).
            type_ (str): What happened: `page_view`, `click` …
            at (None | str | Unset): When (RFC 3339; default: when received).
            browser (None | str | Unset): The browser family (`firefox`), not the user agent.
            cookie_id (None | str | Unset): The browser's cookie id (stored as its blind-index token).
            device_id (None | str | Unset): The app's device id (stored as its blind-index token).
            gpc (bool | Unset): The request that produced the event carried `Sec-GPC: 1` (GPC-01).
            ip (None | str | Unset): The client address: used for the coarse region, then pseudonymized; never stored.
            jurisdiction (None | str | Unset): Where the edge located the visitor (`US-CA`, `FR`), used when the device is
                not linked
                to a subject with a known residency (DM-04).
            link (None | str | Unset): The link clicked (a URL or a path; query string and fragment dropped).
            page (None | str | Unset): The page (a URL or a path; query string and fragment dropped).
            registered (bool | Unset): The visitor was signed in.
    """

    tracker: str
    type_: str
    at: None | str | Unset = UNSET
    browser: None | str | Unset = UNSET
    cookie_id: None | str | Unset = UNSET
    device_id: None | str | Unset = UNSET
    gpc: bool | Unset = UNSET
    ip: None | str | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    link: None | str | Unset = UNSET
    page: None | str | Unset = UNSET
    registered: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        tracker = self.tracker

        type_ = self.type_

        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        else:
            at = self.at

        browser: None | str | Unset
        if isinstance(self.browser, Unset):
            browser = UNSET
        else:
            browser = self.browser

        cookie_id: None | str | Unset
        if isinstance(self.cookie_id, Unset):
            cookie_id = UNSET
        else:
            cookie_id = self.cookie_id

        device_id: None | str | Unset
        if isinstance(self.device_id, Unset):
            device_id = UNSET
        else:
            device_id = self.device_id

        gpc = self.gpc

        ip: None | str | Unset
        if isinstance(self.ip, Unset):
            ip = UNSET
        else:
            ip = self.ip

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        link: None | str | Unset
        if isinstance(self.link, Unset):
            link = UNSET
        else:
            link = self.link

        page: None | str | Unset
        if isinstance(self.page, Unset):
            page = UNSET
        else:
            page = self.page

        registered = self.registered

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "tracker": tracker,
                "type": type_,
            }
        )
        if at is not UNSET:
            field_dict["at"] = at
        if browser is not UNSET:
            field_dict["browser"] = browser
        if cookie_id is not UNSET:
            field_dict["cookie_id"] = cookie_id
        if device_id is not UNSET:
            field_dict["device_id"] = device_id
        if gpc is not UNSET:
            field_dict["gpc"] = gpc
        if ip is not UNSET:
            field_dict["ip"] = ip
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if link is not UNSET:
            field_dict["link"] = link
        if page is not UNSET:
            field_dict["page"] = page
        if registered is not UNSET:
            field_dict["registered"] = registered

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        tracker = d.pop("tracker")

        type_ = d.pop("type")

        def _parse_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        at = _parse_at(d.pop("at", UNSET))

        def _parse_browser(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        browser = _parse_browser(d.pop("browser", UNSET))

        def _parse_cookie_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cookie_id = _parse_cookie_id(d.pop("cookie_id", UNSET))

        def _parse_device_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        device_id = _parse_device_id(d.pop("device_id", UNSET))

        gpc = d.pop("gpc", UNSET)

        def _parse_ip(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ip = _parse_ip(d.pop("ip", UNSET))

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_link(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        link = _parse_link(d.pop("link", UNSET))

        def _parse_page(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        page = _parse_page(d.pop("page", UNSET))

        registered = d.pop("registered", UNSET)

        usage_event = cls(
            tracker=tracker,
            type_=type_,
            at=at,
            browser=browser,
            cookie_id=cookie_id,
            device_id=device_id,
            gpc=gpc,
            ip=ip,
            jurisdiction=jurisdiction,
            link=link,
            page=page,
            registered=registered,
        )

        return usage_event
