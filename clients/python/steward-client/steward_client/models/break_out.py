from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BreakOut")


@_attrs_define
class BreakOut:
    """Where the chain is broken.

    Attributes:
        kind (str): What is wrong, as a stable code: `altered`, `removed`, `reordered`, `malformed`,
            `checkpoint_mismatch`, `bad_signature`, `unknown_key`, `checkpoint_order`,
            `malformed_checkpoint`, `checkpoint_removed`, `unsigned`, `unreadable`.
        message (str): What is wrong.
        seq (int): Sequence number of the entry or checkpoint at fault.
    """

    kind: str
    message: str
    seq: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        message = self.message

        seq = self.seq

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kind": kind,
                "message": message,
                "seq": seq,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = d.pop("kind")

        message = d.pop("message")

        seq = d.pop("seq")

        break_out = cls(
            kind=kind,
            message=message,
            seq=seq,
        )

        break_out.additional_properties = d
        return break_out

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
