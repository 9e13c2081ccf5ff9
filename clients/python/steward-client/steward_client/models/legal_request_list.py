from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.legal_request_out import LegalRequestOut


T = TypeVar("T", bound="LegalRequestList")


@_attrs_define
class LegalRequestList:
    """Legal requests.

    Attributes:
        legal_requests (list[LegalRequestOut]): Oldest first.
    """

    legal_requests: list[LegalRequestOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        legal_requests = []
        for legal_requests_item_data in self.legal_requests:
            legal_requests_item = legal_requests_item_data.to_dict()
            legal_requests.append(legal_requests_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "legal_requests": legal_requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legal_request_out import LegalRequestOut  # noqa: PLC0415

        d = dict(src_dict)
        legal_requests = []
        _legal_requests = d.pop("legal_requests")
        for legal_requests_item_data in _legal_requests:
            legal_requests_item = LegalRequestOut.from_dict(legal_requests_item_data)

            legal_requests.append(legal_requests_item)

        legal_request_list = cls(
            legal_requests=legal_requests,
        )

        legal_request_list.additional_properties = d
        return legal_request_list

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
