from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.dataset_kind_dto import DatasetKindDto
from ..types import UNSET, Unset

T = TypeVar("T", bound="DatasetConnectorIn")


@_attrs_define
class DatasetConnectorIn:
    """A dataset connector: the company's own database, erased on requests (not a derived
    dataset of `POST /v1/datasets`).

        Attributes:
            annotation (str): The dataset annotation (TOML or JSON; docs/requests.md "Dataset connectors").
            kind (DatasetKindDto): The kind of a dataset connector.
            connection (None | str | Unset): The connection string, sealed under the connector's own key (never returned).
            connection_env (None | str | Unset): Or: the environment variable holding it, read at run time (not
                `STEWARD_*`).
    """

    annotation: str
    kind: DatasetKindDto
    connection: None | str | Unset = UNSET
    connection_env: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        annotation = self.annotation

        kind = self.kind.value

        connection: None | str | Unset
        if isinstance(self.connection, Unset):
            connection = UNSET
        else:
            connection = self.connection

        connection_env: None | str | Unset
        if isinstance(self.connection_env, Unset):
            connection_env = UNSET
        else:
            connection_env = self.connection_env

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "annotation": annotation,
                "kind": kind,
            }
        )
        if connection is not UNSET:
            field_dict["connection"] = connection
        if connection_env is not UNSET:
            field_dict["connection_env"] = connection_env

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        annotation = d.pop("annotation")

        kind = DatasetKindDto(d.pop("kind"))

        def _parse_connection(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        connection = _parse_connection(d.pop("connection", UNSET))

        def _parse_connection_env(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        connection_env = _parse_connection_env(d.pop("connection_env", UNSET))

        dataset_connector_in = cls(
            annotation=annotation,
            kind=kind,
            connection=connection,
            connection_env=connection_env,
        )

        return dataset_connector_in
