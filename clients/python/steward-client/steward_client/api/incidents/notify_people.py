from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.notify_people import NotifyPeople
from ...models.people_notified import PeopleNotified
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: NotifyPeople,
    x_steward_actor: UUID | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_steward_actor, Unset):
        headers["X-Steward-Actor"] = x_steward_actor

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/incidents/{id}/notify-people".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PeopleNotified | Problem | None:
    if response.status_code == 200:
        response_200 = PeopleNotified.from_dict(response.json())

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
) -> Response[PeopleNotified | Problem]:
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
    body: NotifyPeople,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[PeopleNotified | Problem]:
    """Notify the people a breach affects (GDPR-31, CCPA-35, NV-08): one e-mail per affected
    person owed a notice, queued through the outbox once (a second run tells only those not
    told yet), in the form their law asks (GDPR Art. 34(2); "Notice of Data Breach" with the
    Cal. Civ. Code §1798.82(d) headings for US residents). People without a deliverable
    address are reported by id. Audited with counts. Needs the request workflow.

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):
        body (NotifyPeople): The notices to the people (GDPR Art. 34, Cal. Civ. Code §1798.82, NRS
            603A.220): the
            privacy team's words, in plain language. The company's own (contact, DPO, telephone) come
            from the configuration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PeopleNotified | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
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
    body: NotifyPeople,
    x_steward_actor: UUID | Unset = UNSET,
) -> PeopleNotified | Problem | None:
    """Notify the people a breach affects (GDPR-31, CCPA-35, NV-08): one e-mail per affected
    person owed a notice, queued through the outbox once (a second run tells only those not
    told yet), in the form their law asks (GDPR Art. 34(2); "Notice of Data Breach" with the
    Cal. Civ. Code §1798.82(d) headings for US residents). People without a deliverable
    address are reported by id. Audited with counts. Needs the request workflow.

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):
        body (NotifyPeople): The notices to the people (GDPR Art. 34, Cal. Civ. Code §1798.82, NRS
            603A.220): the
            privacy team's words, in plain language. The company's own (contact, DPO, telephone) come
            from the configuration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PeopleNotified | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        x_steward_actor=x_steward_actor,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: NotifyPeople,
    x_steward_actor: UUID | Unset = UNSET,
) -> Response[PeopleNotified | Problem]:
    """Notify the people a breach affects (GDPR-31, CCPA-35, NV-08): one e-mail per affected
    person owed a notice, queued through the outbox once (a second run tells only those not
    told yet), in the form their law asks (GDPR Art. 34(2); "Notice of Data Breach" with the
    Cal. Civ. Code §1798.82(d) headings for US residents). People without a deliverable
    address are reported by id. Audited with counts. Needs the request workflow.

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):
        body (NotifyPeople): The notices to the people (GDPR Art. 34, Cal. Civ. Code §1798.82, NRS
            603A.220): the
            privacy team's words, in plain language. The company's own (contact, DPO, telephone) come
            from the configuration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PeopleNotified | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        x_steward_actor=x_steward_actor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: NotifyPeople,
    x_steward_actor: UUID | Unset = UNSET,
) -> PeopleNotified | Problem | None:
    """Notify the people a breach affects (GDPR-31, CCPA-35, NV-08): one e-mail per affected
    person owed a notice, queued through the outbox once (a second run tells only those not
    told yet), in the form their law asks (GDPR Art. 34(2); "Notice of Data Breach" with the
    Cal. Civ. Code §1798.82(d) headings for US residents). People without a deliverable
    address are reported by id. Audited with counts. Needs the request workflow.

    Args:
        id (UUID):
        x_steward_actor (UUID | Unset):
        body (NotifyPeople): The notices to the people (GDPR Art. 34, Cal. Civ. Code §1798.82, NRS
            603A.220): the
            privacy team's words, in plain language. The company's own (contact, DPO, telephone) come
            from the configuration.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PeopleNotified | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            x_steward_actor=x_steward_actor,
        )
    ).parsed
