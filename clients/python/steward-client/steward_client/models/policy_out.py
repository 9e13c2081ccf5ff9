from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PolicyOut")


@_attrs_define
class PolicyOut:
    """The policy in force.

    Attributes:
        categories (int): Registered data categories.
        controller (str): Controller.
        effective (str): Effective date.
        engine_version (str): The engine version.
        name (str): Name.
        purposes (int): Registered purposes.
        recipients (int): Registered recipients.
        version (str): Version (recorded with every decision and choice).
    """

    categories: int
    controller: str
    effective: str
    engine_version: str
    name: str
    purposes: int
    recipients: int
    version: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        categories = self.categories

        controller = self.controller

        effective = self.effective

        engine_version = self.engine_version

        name = self.name

        purposes = self.purposes

        recipients = self.recipients

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "categories": categories,
                "controller": controller,
                "effective": effective,
                "engine_version": engine_version,
                "name": name,
                "purposes": purposes,
                "recipients": recipients,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        categories = d.pop("categories")

        controller = d.pop("controller")

        effective = d.pop("effective")

        engine_version = d.pop("engine_version")

        name = d.pop("name")

        purposes = d.pop("purposes")

        recipients = d.pop("recipients")

        version = d.pop("version")

        policy_out = cls(
            categories=categories,
            controller=controller,
            effective=effective,
            engine_version=engine_version,
            name=name,
            purposes=purposes,
            recipients=recipients,
            version=version,
        )

        policy_out.additional_properties = d
        return policy_out

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
