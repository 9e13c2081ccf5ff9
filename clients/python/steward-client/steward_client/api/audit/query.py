import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_kind_dto import AuditKindDto
from ...models.audit_page import AuditPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    subject_id: UUID | Unset = UNSET,
    kind: AuditKindDto | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_steward_actor: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_steward_actor, Unset):
        headers["X-Steward-Actor"] = x_steward_actor

    params: dict[str, Any] = {}

    json_subject_id: str | Unset = UNSET
    if not isinstance(subject_id, Unset):
        json_subject_id = str(subject_id)
    params["subject_id"] = json_subject_id

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_until: str | Unset = UNSET
    if not isinstance(until, Unset):
        json_until = until.isoformat()
    params["until"] = json_until

    params["after"] = after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AuditPage | Problem | None:
    if response.status_code == 200:
        response_200 = AuditPage.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AuditPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    subject_id: UUID | Unset = UNSET,
    kind: AuditKindDto | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """Query the audit log (the query itself is audited).

    Args:
        subject_id (UUID | Unset):
        kind (AuditKindDto | Unset): A kind of audit event.
        from_ (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        after (int | Unset):
        limit (int | Unset):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        subject_id=subject_id,
        kind=kind,
        from_=from_,
        until=until,
        after=after,
        limit=limit,
        x_steward_actor=x_steward_actor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    subject_id: UUID | Unset = UNSET,
    kind: AuditKindDto | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_steward_actor: UUID | Unset = UNSET,
) -> AuditPage | Problem | None:
    """Query the audit log (the query itself is audited).

    Args:
        subject_id (UUID | Unset):
        kind (AuditKindDto | Unset): A kind of audit event.
        from_ (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        after (int | Unset):
        limit (int | Unset):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return sync_detailed(
        client=client,
        subject_id=subject_id,
        kind=kind,
        from_=from_,
        until=until,
        after=after,
        limit=limit,
        x_steward_actor=x_steward_actor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    subject_id: UUID | Unset = UNSET,
    kind: AuditKindDto | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[AuditPage | Problem]:
    """Query the audit log (the query itself is audited).

    Args:
        subject_id (UUID | Unset):
        kind (AuditKindDto | Unset): A kind of audit event.
        from_ (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        after (int | Unset):
        limit (int | Unset):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditPage | Problem]
    """

    kwargs = _get_kwargs(
        subject_id=subject_id,
        kind=kind,
        from_=from_,
        until=until,
        after=after,
        limit=limit,
        x_steward_actor=x_steward_actor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    subject_id: UUID | Unset = UNSET,
    kind: AuditKindDto | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    until: datetime.datetime | Unset = UNSET,
    after: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_steward_actor: UUID | Unset = UNSET,
) -> AuditPage | Problem | None:
    """Query the audit log (the query itself is audited).

    Args:
        subject_id (UUID | Unset):
        kind (AuditKindDto | Unset): A kind of audit event.
        from_ (datetime.datetime | Unset):
        until (datetime.datetime | Unset):
        after (int | Unset):
        limit (int | Unset):
        x_steward_actor (UUID | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            subject_id=subject_id,
            kind=kind,
            from_=from_,
            until=until,
            after=after,
            limit=limit,
            x_steward_actor=x_steward_actor,
        )
    ).parsed
