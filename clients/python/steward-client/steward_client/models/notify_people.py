from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NotifyPeople")


@_attrs_define
class NotifyPeople:
    """The notices to the people (GDPR Art. 34, Cal. Civ. Code §1798.82, NRS 603A.220): the
    privacy team's words, in plain language. The company's own (contact, DPO, telephone) come
    from the configuration.

        Attributes:
            consequences (str): Its likely consequences for the people.
            measures (str): What was done and will be done about it.
            what_happened (str): What happened: the nature of the breach.
            include_not_owed (bool | Unset): Tell the affected people no notice is owed to as well (no rule for their
                residency).
            law_enforcement_delay (bool | Unset): The notice was delayed by a law-enforcement investigation.
            occurred (None | str | Unset): When it happened, in words ("between May 1 and May 3, 2024").
            what_you_can_do (None | str | Unset): What the person can do (default: a short general advice).
    """

    consequences: str
    measures: str
    what_happened: str
    include_not_owed: bool | Unset = UNSET
    law_enforcement_delay: bool | Unset = UNSET
    occurred: None | str | Unset = UNSET
    what_you_can_do: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        consequences = self.consequences

        measures = self.measures

        what_happened = self.what_happened

        include_not_owed = self.include_not_owed

        law_enforcement_delay = self.law_enforcement_delay

        occurred: None | str | Unset
        if isinstance(self.occurred, Unset):
            occurred = UNSET
        else:
            occurred = self.occurred

        what_you_can_do: None | str | Unset
        if isinstance(self.what_you_can_do, Unset):
            what_you_can_do = UNSET
        else:
            what_you_can_do = self.what_you_can_do

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "consequences": consequences,
                "measures": measures,
                "what_happened": what_happened,
            }
        )
        if include_not_owed is not UNSET:
            field_dict["include_not_owed"] = include_not_owed
        if law_enforcement_delay is not UNSET:
            field_dict["law_enforcement_delay"] = law_enforcement_delay
        if occurred is not UNSET:
            field_dict["occurred"] = occurred
        if what_you_can_do is not UNSET:
            field_dict["what_you_can_do"] = what_you_can_do

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        consequences = d.pop("consequences")

        measures = d.pop("measures")

        what_happened = d.pop("what_happened")

        include_not_owed = d.pop("include_not_owed", UNSET)

        law_enforcement_delay = d.pop("law_enforcement_delay", UNSET)

        def _parse_occurred(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        occurred = _parse_occurred(d.pop("occurred", UNSET))

        def _parse_what_you_can_do(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        what_you_can_do = _parse_what_you_can_do(d.pop("what_you_can_do", UNSET))

        notify_people = cls(
            consequences=consequences,
            measures=measures,
            what_happened=what_happened,
            include_not_owed=include_not_owed,
            law_enforcement_delay=law_enforcement_delay,
            occurred=occurred,
            what_you_can_do=what_you_can_do,
        )

        return notify_people
