from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.acceptance_out import AcceptanceOut
    from ..models.agreement_status_out import AgreementStatusOut


T = TypeVar("T", bound="AgreementList")


@_attrs_define
class AgreementList:
    """An account's agreements.

    Attributes:
        acceptances (list[AcceptanceOut]): Every acceptance recorded, oldest first.
        account_id (str): The account.
        agreements (list[AgreementStatusOut]): Every agreement the policy declares, with where the account stands.
    """

    acceptances: list[AcceptanceOut]
    account_id: str
    agreements: list[AgreementStatusOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acceptances = []
        for acceptances_item_data in self.acceptances:
            acceptances_item = acceptances_item_data.to_dict()
            acceptances.append(acceptances_item)

        account_id = self.account_id

        agreements = []
        for agreements_item_data in self.agreements:
            agreements_item = agreements_item_data.to_dict()
            agreements.append(agreements_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acceptances": acceptances,
                "account_id": account_id,
                "agreements": agreements,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.acceptance_out import AcceptanceOut  # noqa: PLC0415
        from ..models.agreement_status_out import AgreementStatusOut  # noqa: PLC0415

        d = dict(src_dict)
        acceptances = []
        _acceptances = d.pop("acceptances")
        for acceptances_item_data in _acceptances:
            acceptances_item = AcceptanceOut.from_dict(acceptances_item_data)

            acceptances.append(acceptances_item)

        account_id = d.pop("account_id")

        agreements = []
        _agreements = d.pop("agreements")
        for agreements_item_data in _agreements:
            agreements_item = AgreementStatusOut.from_dict(agreements_item_data)

            agreements.append(agreements_item)

        agreement_list = cls(
            acceptances=acceptances,
            account_id=account_id,
            agreements=agreements,
        )

        agreement_list.additional_properties = d
        return agreement_list

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
