from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.legal_request_out import LegalRequestOut
from ...models.problem import Problem
from ...models.register_legal_request import RegisterLegalRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: RegisterLegalRequest,
    x_steward_actor: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_steward_actor, Unset):
        headers["X-Steward-Actor"] = x_steward_actor

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/legal-requests",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LegalRequestOut | Problem | None:
    if response.status_code == 201:
        response_201 = LegalRequestOut.from_dict(response.json())

        return response_201

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
) -> Response[LegalRequestOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RegisterLegalRequest,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[LegalRequestOut | Problem]:
    """Register a legal request (LEGALREQ-01, LEGALREQ-05, LEGALREQ-06). Audited.

    Args:
        x_steward_actor (UUID | Unset):
        body (RegisterLegalRequest): A legal request to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        x_steward_actor=x_steward_actor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: RegisterLegalRequest,
    x_steward_actor: UUID | Unset = UNSET,
) -> LegalRequestOut | Problem | None:
    """Register a legal request (LEGALREQ-01, LEGALREQ-05, LEGALREQ-06). Audited.

    Args:
        x_steward_actor (UUID | Unset):
        body (RegisterLegalRequest): A legal request to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegalRequestOut | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        x_steward_actor=x_steward_actor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RegisterLegalRequest,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[LegalRequestOut | Problem]:
    """Register a legal request (LEGALREQ-01, LEGALREQ-05, LEGALREQ-06). Audited.

    Args:
        x_steward_actor (UUID | Unset):
        body (RegisterLegalRequest): A legal request to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LegalRequestOut | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        x_steward_actor=x_steward_actor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RegisterLegalRequest,
    x_steward_actor: UUID | Unset = UNSET,
) -> LegalRequestOut | Problem | None:
    """Register a legal request (LEGALREQ-01, LEGALREQ-05, LEGALREQ-06). Audited.

    Args:
        x_steward_actor (UUID | Unset):
        body (RegisterLegalRequest): A legal request to register.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LegalRequestOut | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_steward_actor=x_steward_actor,
        )
    ).parsed
