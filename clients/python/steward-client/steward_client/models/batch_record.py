from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.batch_record_by_reason import BatchRecordByReason


T = TypeVar("T", bound="BatchRecord")


@_attrs_define
class BatchRecord:
    """The batch audit entry a batch decision belongs to.

    Attributes:
        by_reason (BatchRecordByReason): Decisions per `allow:<reason>` / `deny:<reason>`.
        count (int): Requests answered.
        allowed (int | None | Unset): Allows.
        decisions_sha256 (None | str | Unset): SHA-256 (hex) of the `decisions` array as returned.
        denied (int | None | Unset): Denies.
        errors (int | None | Unset): Errors.
        requests_sha256 (None | str | Unset): SHA-256 (hex) of the request body as received.
    """

    by_reason: BatchRecordByReason
    count: int
    allowed: int | None | Unset = UNSET
    decisions_sha256: None | str | Unset = UNSET
    denied: int | None | Unset = UNSET
    errors: int | None | Unset = UNSET
    requests_sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        by_reason = self.by_reason.to_dict()

        count = self.count

        allowed: int | None | Unset
        if isinstance(self.allowed, Unset):
            allowed = UNSET
        else:
            allowed = self.allowed

        decisions_sha256: None | str | Unset
        if isinstance(self.decisions_sha256, Unset):
            decisions_sha256 = UNSET
        else:
            decisions_sha256 = self.decisions_sha256

        denied: int | None | Unset
        if isinstance(self.denied, Unset):
            denied = UNSET
        else:
            denied = self.denied

        errors: int | None | Unset
        if isinstance(self.errors, Unset):
            errors = UNSET
        else:
            errors = self.errors

        requests_sha256: None | str | Unset
        if isinstance(self.requests_sha256, Unset):
            requests_sha256 = UNSET
        else:
            requests_sha256 = self.requests_sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "by_reason": by_reason,
                "count": count,
            }
        )
        if allowed is not UNSET:
            field_dict["allowed"] = allowed
        if decisions_sha256 is not UNSET:
            field_dict["decisions_sha256"] = decisions_sha256
        if denied is not UNSET:
            field_dict["denied"] = denied
        if errors is not UNSET:
            field_dict["errors"] = errors
        if requests_sha256 is not UNSET:
            field_dict["requests_sha256"] = requests_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_record_by_reason import BatchRecordByReason  # noqa: PLC0415

        d = dict(src_dict)
        by_reason = BatchRecordByReason.from_dict(d.pop("by_reason"))

        count = d.pop("count")

        def _parse_allowed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        allowed = _parse_allowed(d.pop("allowed", UNSET))

        def _parse_decisions_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        decisions_sha256 = _parse_decisions_sha256(d.pop("decisions_sha256", UNSET))

        def _parse_denied(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        denied = _parse_denied(d.pop("denied", UNSET))

        def _parse_errors(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        errors = _parse_errors(d.pop("errors", UNSET))

        def _parse_requests_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requests_sha256 = _parse_requests_sha256(d.pop("requests_sha256", UNSET))

        batch_record = cls(
            by_reason=by_reason,
            count=count,
            allowed=allowed,
            decisions_sha256=decisions_sha256,
            denied=denied,
            errors=errors,
            requests_sha256=requests_sha256,
        )

        batch_record.additional_properties = d
        return batch_record

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
