from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PolicyNoticeOut")


@_attrs_define
class PolicyNoticeOut:
    """The change notice of one policy version to one subject (CHG-04).

    Attributes:
        notice_sha256 (str): SHA-256 of the notice text (the version's policy text), hex.
        queued_at (str): When it was queued (RFC 3339).
        version (str): The version announced.
        sent_at (None | str | Unset): When the person was notified (RFC 3339): the message sent, or the notice shown in
            the
            privacy center. Absent while pending.
    """

    notice_sha256: str
    queued_at: str
    version: str
    sent_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        notice_sha256 = self.notice_sha256

        queued_at = self.queued_at

        version = self.version

        sent_at: None | str | Unset
        if isinstance(self.sent_at, Unset):
            sent_at = UNSET
        else:
            sent_at = self.sent_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "notice_sha256": notice_sha256,
                "queued_at": queued_at,
                "version": version,
            }
        )
        if sent_at is not UNSET:
            field_dict["sent_at"] = sent_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        notice_sha256 = d.pop("notice_sha256")

        queued_at = d.pop("queued_at")

        version = d.pop("version")

        def _parse_sent_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sent_at = _parse_sent_at(d.pop("sent_at", UNSET))

        policy_notice_out = cls(
            notice_sha256=notice_sha256,
            queued_at=queued_at,
            version=version,
            sent_at=sent_at,
        )

        policy_notice_out.additional_properties = d
        return policy_notice_out

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
