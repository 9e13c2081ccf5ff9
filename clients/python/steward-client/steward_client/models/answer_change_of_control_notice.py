from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AnswerChangeOfControlNotice")


@_attrs_define
class AnswerChangeOfControlNotice:
    """The person's answer to a notice.

    Attributes:
        stop_promotions (bool): `true`: stop sending promotional information (sets the marketing and sharing
            opt-outs, BIZ-02); `false`: carry on as chosen before.
        notice_sha256 (None | str | Unset): SHA-256 (hex) of the notice text the person was shown (GDPR-07).
    """

    stop_promotions: bool
    notice_sha256: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        stop_promotions = self.stop_promotions

        notice_sha256: None | str | Unset
        if isinstance(self.notice_sha256, Unset):
            notice_sha256 = UNSET
        else:
            notice_sha256 = self.notice_sha256

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "stop_promotions": stop_promotions,
            }
        )
        if notice_sha256 is not UNSET:
            field_dict["notice_sha256"] = notice_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        stop_promotions = d.pop("stop_promotions")

        def _parse_notice_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notice_sha256 = _parse_notice_sha256(d.pop("notice_sha256", UNSET))

        answer_change_of_control_notice = cls(
            stop_promotions=stop_promotions,
            notice_sha256=notice_sha256,
        )

        return answer_change_of_control_notice
