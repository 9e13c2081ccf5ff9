from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.choice_facts import ChoiceFacts
    from ..models.ledger_entry import LedgerEntry


T = TypeVar("T", bound="SubjectFacts")


@_attrs_define
class SubjectFacts:
    """The subject's facts.

    Attributes:
        age (int | None | Unset): Known age.
        choices (ChoiceFacts | None | Unset): Effective choices as values (applied after the ledger fold).
        eu_protected (bool | None | Unset): EU protection flag (EU-01), sticky.
        id (None | str | Unset): A subject stored in Steward (HTTP API): its kind, jurisdiction, age and
            choices ledger are loaded from the store and the other fields here are
            not allowed. The pure engine (CLI) ignores it.
        jurisdiction (None | str | Unset): Resolved jurisdiction (`US-CA`, `DE`).
        kind (None | str | Unset): Subject kind (§0.2); defaults to `customer_account_holder`.
        ledger (list[LedgerEntry] | Unset): Choice ledger entries, folded at `context.now`.
    """

    age: int | None | Unset = UNSET
    choices: ChoiceFacts | None | Unset = UNSET
    eu_protected: bool | None | Unset = UNSET
    id: None | str | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    kind: None | str | Unset = UNSET
    ledger: list[LedgerEntry] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.choice_facts import ChoiceFacts  # noqa: PLC0415

        age: int | None | Unset
        if isinstance(self.age, Unset):
            age = UNSET
        else:
            age = self.age

        choices: dict[str, Any] | None | Unset
        if isinstance(self.choices, Unset):
            choices = UNSET
        elif isinstance(self.choices, ChoiceFacts):
            choices = self.choices.to_dict()
        else:
            choices = self.choices

        eu_protected: bool | None | Unset
        if isinstance(self.eu_protected, Unset):
            eu_protected = UNSET
        else:
            eu_protected = self.eu_protected

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        kind: None | str | Unset
        if isinstance(self.kind, Unset):
            kind = UNSET
        else:
            kind = self.kind

        ledger: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.ledger, Unset):
            ledger = []
            for ledger_item_data in self.ledger:
                ledger_item = ledger_item_data.to_dict()
                ledger.append(ledger_item)

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if age is not UNSET:
            field_dict["age"] = age
        if choices is not UNSET:
            field_dict["choices"] = choices
        if eu_protected is not UNSET:
            field_dict["eu_protected"] = eu_protected
        if id is not UNSET:
            field_dict["id"] = id
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if kind is not UNSET:
            field_dict["kind"] = kind
        if ledger is not UNSET:
            field_dict["ledger"] = ledger

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.choice_facts import ChoiceFacts  # noqa: PLC0415
        from ..models.ledger_entry import LedgerEntry  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        def _parse_choices(data: object) -> ChoiceFacts | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                choices_type_0 = ChoiceFacts.from_dict(data)

                return choices_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChoiceFacts | None | Unset, data)

        choices = _parse_choices(d.pop("choices", UNSET))

        def _parse_eu_protected(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        eu_protected = _parse_eu_protected(d.pop("eu_protected", UNSET))

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kind = _parse_kind(d.pop("kind", UNSET))

        _ledger = d.pop("ledger", UNSET)
        ledger: list[LedgerEntry] | Unset = UNSET
        if _ledger is not UNSET:
            ledger = []
            for ledger_item_data in _ledger:
                ledger_item = LedgerEntry.from_dict(ledger_item_data)

                ledger.append(ledger_item)

        subject_facts = cls(
            age=age,
            choices=choices,
            eu_protected=eu_protected,
            id=id,
            jurisdiction=jurisdiction,
            kind=kind,
            ledger=ledger,
        )

        return subject_facts
