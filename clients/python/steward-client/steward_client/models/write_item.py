from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WriteItem")


@_attrs_define
class WriteItem:
    """An item to write.

    Attributes:
        category (str): The category (`email`, `postal_address`, `name` …).
        purpose (str): The purpose of collection (`account_registration`, `service_provision` …).
        source (str): Where it came from (`direct:registration`, `usps` …).
        subject_id (UUID): Whose data it is.
        value (str): The value (text; encrypted under the subject's data key before storage).
        account_id (None | Unset | UUID): The Customer account the item is collected for: its recorded agreements apply
            (the
            Customer's data-protection undertaking for its ship-to recipients, CUST-01, SRC-09).
        derived_from (list[UUID] | Unset): The items of the same subject this one was computed from (a per-account
            cache, a
            profile): it is erased with any of them, by erasure and by the retention sweep (RET-06).
        processor_for_customer (bool | Unset): Collected on behalf of a Customer (processor role, SCOPE-03).
    """

    category: str
    purpose: str
    source: str
    subject_id: UUID
    value: str
    account_id: None | Unset | UUID = UNSET
    derived_from: list[UUID] | Unset = UNSET
    processor_for_customer: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        purpose = self.purpose

        source = self.source

        subject_id = str(self.subject_id)

        value = self.value

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        elif isinstance(self.account_id, UUID):
            account_id = str(self.account_id)
        else:
            account_id = self.account_id

        derived_from: list[str] | Unset = UNSET
        if not isinstance(self.derived_from, Unset):
            derived_from = []
            for derived_from_item_data in self.derived_from:
                derived_from_item = str(derived_from_item_data)
                derived_from.append(derived_from_item)

        processor_for_customer = self.processor_for_customer

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "category": category,
                "purpose": purpose,
                "source": source,
                "subject_id": subject_id,
                "value": value,
            }
        )
        if account_id is not UNSET:
            field_dict["account_id"] = account_id
        if derived_from is not UNSET:
            field_dict["derived_from"] = derived_from
        if processor_for_customer is not UNSET:
            field_dict["processor_for_customer"] = processor_for_customer

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        category = d.pop("category")

        purpose = d.pop("purpose")

        source = d.pop("source")

        subject_id = UUID(d.pop("subject_id"))

        value = d.pop("value")

        def _parse_account_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                account_id_type_0 = UUID(data)

                return account_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        account_id = _parse_account_id(d.pop("account_id", UNSET))

        _derived_from = d.pop("derived_from", UNSET)
        derived_from: list[UUID] | Unset = UNSET
        if _derived_from is not UNSET:
            derived_from = []
            for derived_from_item_data in _derived_from:
                derived_from_item = UUID(derived_from_item_data)

                derived_from.append(derived_from_item)

        processor_for_customer = d.pop("processor_for_customer", UNSET)

        write_item = cls(
            category=category,
            purpose=purpose,
            source=source,
            subject_id=subject_id,
            value=value,
            account_id=account_id,
            derived_from=derived_from,
            processor_for_customer=processor_for_customer,
        )

        return write_item
