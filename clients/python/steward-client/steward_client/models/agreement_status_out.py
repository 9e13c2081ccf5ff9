from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.acceptance_out import AcceptanceOut


T = TypeVar("T", bound="AgreementStatusOut")


@_attrs_define
class AgreementStatusOut:
    """Where an account stands with one agreement of the policy.

    Attributes:
        accepted (bool): An acceptance of a version the policy honours is recorded: decisions for the account's
            members (and the data it collects) pass this agreement.
        agreement (str): The agreement's id in the policy.
        current_version (str): The policy's current text version.
        name (str): What it is called.
        acceptance (AcceptanceOut | None | Unset):
        text (None | str | Unset): The current text, verbatim, when the policy carries one (what a person is shown and
            accepts; an acceptance whose `text_sha256` equals `text_sha256` above accepted it).
        text_sha256 (None | str | Unset): SHA-256 (hex) of the current text, when the policy carries one.
    """

    accepted: bool
    agreement: str
    current_version: str
    name: str
    acceptance: AcceptanceOut | None | Unset = UNSET
    text: None | str | Unset = UNSET
    text_sha256: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.acceptance_out import AcceptanceOut  # noqa: PLC0415

        accepted = self.accepted

        agreement = self.agreement

        current_version = self.current_version

        name = self.name

        acceptance: dict[str, Any] | None | Unset
        if isinstance(self.acceptance, Unset):
            acceptance = UNSET
        elif isinstance(self.acceptance, AcceptanceOut):
            acceptance = self.acceptance.to_dict()
        else:
            acceptance = self.acceptance

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        text_sha256: None | str | Unset
        if isinstance(self.text_sha256, Unset):
            text_sha256 = UNSET
        else:
            text_sha256 = self.text_sha256

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accepted": accepted,
                "agreement": agreement,
                "current_version": current_version,
                "name": name,
            }
        )
        if acceptance is not UNSET:
            field_dict["acceptance"] = acceptance
        if text is not UNSET:
            field_dict["text"] = text
        if text_sha256 is not UNSET:
            field_dict["text_sha256"] = text_sha256

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acceptance_out import AcceptanceOut  # noqa: PLC0415

        d = dict(src_dict)
        accepted = d.pop("accepted")

        agreement = d.pop("agreement")

        current_version = d.pop("current_version")

        name = d.pop("name")

        def _parse_acceptance(data: object) -> AcceptanceOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                acceptance_type_0 = AcceptanceOut.from_dict(data)

                return acceptance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AcceptanceOut | None | Unset, data)

        acceptance = _parse_acceptance(d.pop("acceptance", UNSET))

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        def _parse_text_sha256(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text_sha256 = _parse_text_sha256(d.pop("text_sha256", UNSET))

        agreement_status_out = cls(
            accepted=accepted,
            agreement=agreement,
            current_version=current_version,
            name=name,
            acceptance=acceptance,
            text=text,
            text_sha256=text_sha256,
        )

        agreement_status_out.additional_properties = d
        return agreement_status_out

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
