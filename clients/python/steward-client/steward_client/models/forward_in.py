from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ForwardIn")


@_attrs_define
class ForwardIn:
    """Forward to a Customer (CUST-04).

    Attributes:
        customer (str): The Customer (a code: account reference or name).
    """

    customer: str

    def to_dict(self) -> dict[str, Any]:
        customer = self.customer

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "customer": customer,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        customer = d.pop("customer")

        forward_in = cls(
            customer=customer,
        )

        return forward_in
