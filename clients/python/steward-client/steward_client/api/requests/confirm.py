from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.confirm_body import ConfirmBody
from ...models.delivery_out import DeliveryOut
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id: UUID,
    *,
    body: ConfirmBody,
    steward_signature: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["Steward-Signature"] = steward_signature

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/requests/deliveries/{id}/confirm".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> DeliveryOut | Problem | None:
    if response.status_code == 200:
        response_200 = DeliveryOut.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 405:
        response_405 = Problem.from_dict(response.json())

        return response_405

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[DeliveryOut | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ConfirmBody,
    steward_signature: str,
) -> Response[DeliveryOut | Problem]:
    """A processor confirms it acted on a delivery (RET-07). Public, but the raw body
    `{"delivery_id": "<id>"}` must be signed with the recipient's webhook secret in
    `Steward-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`; a bad
    signature answers like an unknown delivery (404).

    Args:
        id (UUID):
        steward_signature (str):
        body (ConfirmBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryOut | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        steward_signature=steward_signature,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ConfirmBody,
    steward_signature: str,
) -> DeliveryOut | Problem | None:
    """A processor confirms it acted on a delivery (RET-07). Public, but the raw body
    `{"delivery_id": "<id>"}` must be signed with the recipient's webhook secret in
    `Steward-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`; a bad
    signature answers like an unknown delivery (404).

    Args:
        id (UUID):
        steward_signature (str):
        body (ConfirmBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryOut | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        steward_signature=steward_signature,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ConfirmBody,
    steward_signature: str,
) -> Response[DeliveryOut | Problem]:
    """A processor confirms it acted on a delivery (RET-07). Public, but the raw body
    `{"delivery_id": "<id>"}` must be signed with the recipient's webhook secret in
    `Steward-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`; a bad
    signature answers like an unknown delivery (404).

    Args:
        id (UUID):
        steward_signature (str):
        body (ConfirmBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DeliveryOut | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        steward_signature=steward_signature,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: ConfirmBody,
    steward_signature: str,
) -> DeliveryOut | Problem | None:
    """A processor confirms it acted on a delivery (RET-07). Public, but the raw body
    `{"delivery_id": "<id>"}` must be signed with the recipient's webhook secret in
    `Steward-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`; a bad
    signature answers like an unknown delivery (404).

    Args:
        id (UUID):
        steward_signature (str):
        body (ConfirmBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DeliveryOut | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            steward_signature=steward_signature,
        )
    ).parsed
