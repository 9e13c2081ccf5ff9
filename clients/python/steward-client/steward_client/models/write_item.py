from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
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
        processor_for_customer (bool | Unset): Collected on behalf of a Customer (processor role, SCOPE-03).
    """

    category: str
    purpose: str
    source: str
    subject_id: UUID
    value: str
    processor_for_customer: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        purpose = self.purpose

        source = self.source

        subject_id = str(self.subject_id)

        value = self.value

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

        processor_for_customer = d.pop("processor_for_customer", UNSET)

        write_item = cls(
            category=category,
            purpose=purpose,
            source=source,
            subject_id=subject_id,
            value=value,
            processor_for_customer=processor_for_customer,
        )

        return write_item
