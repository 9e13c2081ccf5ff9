from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PolicyChangeFacts")


@_attrs_define
class PolicyChangeFacts:
    """What policy versions later than the one the data was collected under changed for it
    (CHG-03), for stateless callers. For a stored subject with `collected_under`, the service
    computes it from its recorded versions and notices instead.

        Attributes:
            consent (list[str] | Unset): Of them, those whose change needs fresh consent from EU subjects.
            notified (bool | Unset): The subject has been notified of every version that made those changes (CHG-04).
            purposes (list[str] | Unset): Purposes added or materially widened since collection.
            recipients (list[str] | Unset): Recipients added or materially widened since collection.
    """

    consent: list[str] | Unset = UNSET
    notified: bool | Unset = UNSET
    purposes: list[str] | Unset = UNSET
    recipients: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        consent: list[str] | Unset = UNSET
        if not isinstance(self.consent, Unset):
            consent = self.consent

        notified = self.notified

        purposes: list[str] | Unset = UNSET
        if not isinstance(self.purposes, Unset):
            purposes = self.purposes

        recipients: list[str] | Unset = UNSET
        if not isinstance(self.recipients, Unset):
            recipients = self.recipients

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if consent is not UNSET:
            field_dict["consent"] = consent
        if notified is not UNSET:
            field_dict["notified"] = notified
        if purposes is not UNSET:
            field_dict["purposes"] = purposes
        if recipients is not UNSET:
            field_dict["recipients"] = recipients

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        consent = cast(list[str], d.pop("consent", UNSET))

        notified = d.pop("notified", UNSET)

        purposes = cast(list[str], d.pop("purposes", UNSET))

        recipients = cast(list[str], d.pop("recipients", UNSET))

        policy_change_facts = cls(
            consent=consent,
            notified=notified,
            purposes=purposes,
            recipients=recipients,
        )

        return policy_change_facts
