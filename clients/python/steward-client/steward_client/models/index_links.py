from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.link import Link


T = TypeVar("T", bound="IndexLinks")


@_attrs_define
class IndexLinks:
    """The links of the index.

    Attributes:
        api_docs (Link): A place of the service.
        console (Link): A place of the service.
        health (Link): A place of the service.
        metrics (Link): A place of the service.
        openapi (Link): A place of the service.
        privacy_center (Link): A place of the service.
    """

    api_docs: Link
    console: Link
    health: Link
    metrics: Link
    openapi: Link
    privacy_center: Link
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        api_docs = self.api_docs.to_dict()

        console = self.console.to_dict()

        health = self.health.to_dict()

        metrics = self.metrics.to_dict()

        openapi = self.openapi.to_dict()

        privacy_center = self.privacy_center.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "api_docs": api_docs,
                "console": console,
                "health": health,
                "metrics": metrics,
                "openapi": openapi,
                "privacy_center": privacy_center,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.link import Link  # noqa: PLC0415

        d = dict(src_dict)
        api_docs = Link.from_dict(d.pop("api_docs"))

        console = Link.from_dict(d.pop("console"))

        health = Link.from_dict(d.pop("health"))

        metrics = Link.from_dict(d.pop("metrics"))

        openapi = Link.from_dict(d.pop("openapi"))

        privacy_center = Link.from_dict(d.pop("privacy_center"))

        index_links = cls(
            api_docs=api_docs,
            console=console,
            health=health,
            metrics=metrics,
            openapi=openapi,
            privacy_center=privacy_center,
        )

        index_links.additional_properties = d
        return index_links

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
