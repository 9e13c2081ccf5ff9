from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.carrier_list import CarrierList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    x_steward_actor: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_steward_actor, Unset):
        headers["X-Steward-Actor"] = x_steward_actor

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/accounts/{id}/carriers".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CarrierList | Problem | None:
    if response.status_code == 200:
        response_200 = CarrierList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CarrierList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[CarrierList | Problem]:
    """The carriers the account holder selected, withdrawn ones included, oldest first
    (CARRIER-01).

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CarrierList | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        x_steward_actor=x_steward_actor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    x_steward_actor: UUID | Unset = UNSET,
) -> CarrierList | Problem | None:
    """The carriers the account holder selected, withdrawn ones included, oldest first
    (CARRIER-01).

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CarrierList | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        x_steward_actor=x_steward_actor,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[CarrierList | Problem]:
    """The carriers the account holder selected, withdrawn ones included, oldest first
    (CARRIER-01).

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CarrierList | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        x_steward_actor=x_steward_actor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    x_steward_actor: UUID | Unset = UNSET,
) -> CarrierList | Problem | None:
    """The carriers the account holder selected, withdrawn ones included, oldest first
    (CARRIER-01).

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CarrierList | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            x_steward_actor=x_steward_actor,
        )
    ).parsed
