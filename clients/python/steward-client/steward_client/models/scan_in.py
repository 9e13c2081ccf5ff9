from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ScanIn")


@_attrs_define
class ScanIn:
    """A tracking scan as the USPS feed delivers it.

    Attributes:
        event (str): The scan event (`accepted`, `in_transit`, `delivered`, or a USPS code).
        pic (str): The package identification code.
        account_id (None | str | Unset): The account that bought the postage.
        at (None | str | Unset): When (RFC 3339; default: when received).
        subject_id (None | str | Unset): The subject whose package it is.
        zip_ (None | str | Unset): The facility's ZIP code (only its first three digits are kept).
    """

    event: str
    pic: str
    account_id: None | str | Unset = UNSET
    at: None | str | Unset = UNSET
    subject_id: None | str | Unset = UNSET
    zip_: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        pic = self.pic

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        at: None | str | Unset
        if isinstance(self.at, Unset):
            at = UNSET
        else:
            at = self.at

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        else:
            subject_id = self.subject_id

        zip_: None | str | Unset
        if isinstance(self.zip_, Unset):
            zip_ = UNSET
        else:
            zip_ = self.zip_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "event": event,
                "pic": pic,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if at is not UNSET:
            field_dict["at"] = at
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id
        if zip_ is not UNSET:
            field_dict["zip"] = zip_

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = d.pop("event")

        pic = d.pop("pic")

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        def _parse_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        at = _parse_at(d.pop("at", UNSET))

        def _parse_subject_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject_id = _parse_subject_id(d.pop("subject_id", UNSET))

        def _parse_zip_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        zip_ = _parse_zip_(d.pop("zip", UNSET))

        scan_in = cls(
            event=event,
            pic=pic,
            account_id=account_id,
            at=at,
            subject_id=subject_id,
            zip_=zip_,
        )

        return scan_in
