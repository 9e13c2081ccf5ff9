from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.break_out import BreakOut


T = TypeVar("T", bound="VerifyOut")


@_attrs_define
class VerifyOut:
    """The result of a verification.

    Attributes:
        checkpoints (int): Checkpoints verified.
        entries (int): Entries verified.
        ok (bool): The chain and every checkpoint signature verify.
        pending_intents (int): Audit entries of committed writes not chained yet (they are chained by the writer).
        unsigned (int): Entries after the last signed checkpoint: what a truncation could remove unseen.
        break_ (BreakOut | None | Unset):
        head_hash (None | str | Unset): Hash of the last entry (hex).
        head_seq (int | None | Unset): Sequence number of the last entry.
        signed_head_seq (int | None | Unset): The signed head kept outside the database that the log was checked
            against.
    """

    checkpoints: int
    entries: int
    ok: bool
    pending_intents: int
    unsigned: int
    break_: BreakOut | None | Unset = UNSET
    head_hash: None | str | Unset = UNSET
    head_seq: int | None | Unset = UNSET
    signed_head_seq: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.break_out import BreakOut  # noqa: PLC0415

        checkpoints = self.checkpoints

        entries = self.entries

        ok = self.ok

        pending_intents = self.pending_intents

        unsigned = self.unsigned

        break_: dict[str, Any] | None | Unset
        if isinstance(self.break_, Unset):
            break_ = UNSET
        elif isinstance(self.break_, BreakOut):
            break_ = self.break_.to_dict()
        else:
            break_ = self.break_

        head_hash: None | str | Unset
        if isinstance(self.head_hash, Unset):
            head_hash = UNSET
        else:
            head_hash = self.head_hash

        head_seq: int | None | Unset
        if isinstance(self.head_seq, Unset):
            head_seq = UNSET
        else:
            head_seq = self.head_seq

        signed_head_seq: int | None | Unset
        if isinstance(self.signed_head_seq, Unset):
            signed_head_seq = UNSET
        else:
            signed_head_seq = self.signed_head_seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "checkpoints": checkpoints,
                "entries": entries,
                "ok": ok,
                "pending_intents": pending_intents,
                "unsigned": unsigned,
            }
        )
        if break_ is not UNSET:
            field_dict["break"] = break_
        if head_hash is not UNSET:
            field_dict["head_hash"] = head_hash
        if head_seq is not UNSET:
            field_dict["head_seq"] = head_seq
        if signed_head_seq is not UNSET:
            field_dict["signed_head_seq"] = signed_head_seq

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.break_out import BreakOut  # noqa: PLC0415

        d = dict(src_dict)
        checkpoints = d.pop("checkpoints")

        entries = d.pop("entries")

        ok = d.pop("ok")

        pending_intents = d.pop("pending_intents")

        unsigned = d.pop("unsigned")

        def _parse_break_(data: object) -> BreakOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                break_type_0 = BreakOut.from_dict(data)

                return break_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BreakOut | None | Unset, data)

        break_ = _parse_break_(d.pop("break", UNSET))

        def _parse_head_hash(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        head_hash = _parse_head_hash(d.pop("head_hash", UNSET))

        def _parse_head_seq(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        head_seq = _parse_head_seq(d.pop("head_seq", UNSET))

        def _parse_signed_head_seq(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        signed_head_seq = _parse_signed_head_seq(d.pop("signed_head_seq", UNSET))

        verify_out = cls(
            checkpoints=checkpoints,
            entries=entries,
            ok=ok,
            pending_intents=pending_intents,
            unsigned=unsigned,
            break_=break_,
            head_hash=head_hash,
            head_seq=head_seq,
            signed_head_seq=signed_head_seq,
        )

        verify_out.additional_properties = d
        return verify_out

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
