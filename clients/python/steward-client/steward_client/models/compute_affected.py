from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ComputeAffected")


@_attrs_define
class ComputeAffected:
    """How to compute the people an incident affects: the stored subjects with vault items in
    its categories (live now, or held during the window) and those whose data was disclosed
    to its recipients, counted per residency. Nothing is decrypted.

        Attributes:
            from_ (None | str | Unset): The window's start (RFC 3339): items erased before it were not held then.
            until (None | str | Unset): The window's end (RFC 3339): items collected, or disclosures made, after it were not
                exposed.
            vault (bool | None | Unset): Count the subjects with vault items in the incident's categories (default true;
                false
                for a breach at a recipient only).
    """

    from_: None | str | Unset = UNSET
    until: None | str | Unset = UNSET
    vault: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_: None | str | Unset
        if isinstance(self.from_, Unset):
            from_ = UNSET
        else:
            from_ = self.from_

        until: None | str | Unset
        if isinstance(self.until, Unset):
            until = UNSET
        else:
            until = self.until

        vault: bool | None | Unset
        if isinstance(self.vault, Unset):
            vault = UNSET
        else:
            vault = self.vault

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if from_ is not UNSET:
            field_dict["from"] = from_
        if until is not UNSET:
            field_dict["until"] = until
        if vault is not UNSET:
            field_dict["vault"] = vault

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_from_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_ = _parse_from_(d.pop("from", UNSET))

        def _parse_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        until = _parse_until(d.pop("until", UNSET))

        def _parse_vault(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        vault = _parse_vault(d.pop("vault", UNSET))

        compute_affected = cls(
            from_=from_,
            until=until,
            vault=vault,
        )

        return compute_affected
