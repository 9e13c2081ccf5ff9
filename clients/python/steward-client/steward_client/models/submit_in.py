from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.requester_dto import RequesterDto
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_in import AgentIn
    from ..models.correction_in import CorrectionIn


T = TypeVar("T", bound="SubmitIn")


@_attrs_define
class SubmitIn:
    """A privacy request (RIGHTS-04: every channel creates the same request), or a complaint
    (`kind: complaint`, CONTACT-01: filed as a complaint, not a request, with its 45-day first
    response, DPF-05).

        Attributes:
            kind (str): `access`, `know_categories`, `know_specific_pieces`, `portability`, `deletion`,
                `correction`, `opt_out_sale_share`, `limit_spi`, `object_direct_marketing`,
                `objection`, `restriction`, `withdraw_consent`, `nevada_no_sale`; or `complaint`
                (then `email` and `text` are required, `name`, `jurisdiction` and `dpf` optional, and
                the request fields are refused).
            agent (AgentIn | None | Unset):
            channel (None | str | Unset): `privacy_center`, `in_service`, `support`, `api` (default), `mail` …
            correction (CorrectionIn | None | Unset):
            dpf (bool | None | Unset): `kind: complaint` only: raised under the EU-U.S. Data Privacy Framework (DPF-05).
            email (None | str | Unset): The subject's e-mail address: how the subject is found and where the code goes.
            jurisdiction (None | str | Unset): Declared residency (`US-CA`, `DE` …).
            lookback (None | str | Unset): CCPA-06 look-back of know requests: `default` (12 months before receipt) or `all`
                (since 2022-01-01); or give `lookback_from` and `lookback_to`.
            lookback_from (None | str | Unset): First day of a chosen look-back (YYYY-MM-DD).
            lookback_to (None | str | Unset): Last day of a chosen look-back (YYYY-MM-DD).
            name (None | str | Unset): `kind: complaint` only: the complainant's name (stored sealed).
            preverified (None | str | Unset): Staff only: how staff verified the subject already (a code:
                `support_call_kba`).
            purpose (None | str | Unset): The purpose objected to or whose consent is withdrawn.
            received_at (None | str | Unset): Staff only: when it was received, if earlier (RFC 3339; a letter opened
                today).
            requester (None | RequesterDto | Unset):
            subject_id (None | Unset | UUID): Staff only (`requester = admin`): the subject.
            text (None | str | Unset): `kind: complaint` only: the complaint, in the person's words (stored sealed).
    """

    kind: str
    agent: AgentIn | None | Unset = UNSET
    channel: None | str | Unset = UNSET
    correction: CorrectionIn | None | Unset = UNSET
    dpf: bool | None | Unset = UNSET
    email: None | str | Unset = UNSET
    jurisdiction: None | str | Unset = UNSET
    lookback: None | str | Unset = UNSET
    lookback_from: None | str | Unset = UNSET
    lookback_to: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    preverified: None | str | Unset = UNSET
    purpose: None | str | Unset = UNSET
    received_at: None | str | Unset = UNSET
    requester: None | RequesterDto | Unset = UNSET
    subject_id: None | Unset | UUID = UNSET
    text: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_in import AgentIn  # noqa: PLC0415
        from ..models.correction_in import CorrectionIn  # noqa: PLC0415

        kind = self.kind

        agent: dict[str, Any] | None | Unset
        if isinstance(self.agent, Unset):
            agent = UNSET
        elif isinstance(self.agent, AgentIn):
            agent = self.agent.to_dict()
        else:
            agent = self.agent

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        correction: dict[str, Any] | None | Unset
        if isinstance(self.correction, Unset):
            correction = UNSET
        elif isinstance(self.correction, CorrectionIn):
            correction = self.correction.to_dict()
        else:
            correction = self.correction

        dpf: bool | None | Unset
        if isinstance(self.dpf, Unset):
            dpf = UNSET
        else:
            dpf = self.dpf

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        jurisdiction: None | str | Unset
        if isinstance(self.jurisdiction, Unset):
            jurisdiction = UNSET
        else:
            jurisdiction = self.jurisdiction

        lookback: None | str | Unset
        if isinstance(self.lookback, Unset):
            lookback = UNSET
        else:
            lookback = self.lookback

        lookback_from: None | str | Unset
        if isinstance(self.lookback_from, Unset):
            lookback_from = UNSET
        else:
            lookback_from = self.lookback_from

        lookback_to: None | str | Unset
        if isinstance(self.lookback_to, Unset):
            lookback_to = UNSET
        else:
            lookback_to = self.lookback_to

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        preverified: None | str | Unset
        if isinstance(self.preverified, Unset):
            preverified = UNSET
        else:
            preverified = self.preverified

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        else:
            purpose = self.purpose

        received_at: None | str | Unset
        if isinstance(self.received_at, Unset):
            received_at = UNSET
        else:
            received_at = self.received_at

        requester: None | str | Unset
        if isinstance(self.requester, Unset):
            requester = UNSET
        elif isinstance(self.requester, RequesterDto):
            requester = self.requester.value
        else:
            requester = self.requester

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        elif isinstance(self.subject_id, UUID):
            subject_id = str(self.subject_id)
        else:
            subject_id = self.subject_id

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
            }
        )
        if agent is not UNSET:
            field_dict["agent"] = agent
        if channel is not UNSET:
            field_dict["channel"] = channel
        if correction is not UNSET:
            field_dict["correction"] = correction
        if dpf is not UNSET:
            field_dict["dpf"] = dpf
        if email is not UNSET:
            field_dict["email"] = email
        if jurisdiction is not UNSET:
            field_dict["jurisdiction"] = jurisdiction
        if lookback is not UNSET:
            field_dict["lookback"] = lookback
        if lookback_from is not UNSET:
            field_dict["lookback_from"] = lookback_from
        if lookback_to is not UNSET:
            field_dict["lookback_to"] = lookback_to
        if name is not UNSET:
            field_dict["name"] = name
        if preverified is not UNSET:
            field_dict["preverified"] = preverified
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if received_at is not UNSET:
            field_dict["received_at"] = received_at
        if requester is not UNSET:
            field_dict["requester"] = requester
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_in import AgentIn  # noqa: PLC0415
        from ..models.correction_in import CorrectionIn  # noqa: PLC0415

        d = dict(src_dict)
        kind = d.pop("kind")

        def _parse_agent(data: object) -> AgentIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agent_type_0 = AgentIn.from_dict(data)

                return agent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentIn | None | Unset, data)

        agent = _parse_agent(d.pop("agent", UNSET))

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        def _parse_correction(data: object) -> CorrectionIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                correction_type_0 = CorrectionIn.from_dict(data)

                return correction_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CorrectionIn | None | Unset, data)

        correction = _parse_correction(d.pop("correction", UNSET))

        def _parse_dpf(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        dpf = _parse_dpf(d.pop("dpf", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_jurisdiction(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        jurisdiction = _parse_jurisdiction(d.pop("jurisdiction", UNSET))

        def _parse_lookback(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lookback = _parse_lookback(d.pop("lookback", UNSET))

        def _parse_lookback_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lookback_from = _parse_lookback_from(d.pop("lookback_from", UNSET))

        def _parse_lookback_to(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        lookback_to = _parse_lookback_to(d.pop("lookback_to", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_preverified(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        preverified = _parse_preverified(d.pop("preverified", UNSET))

        def _parse_purpose(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        def _parse_received_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        received_at = _parse_received_at(d.pop("received_at", UNSET))

        def _parse_requester(data: object) -> None | RequesterDto | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requester_type_0 = RequesterDto(data)

                return requester_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RequesterDto | Unset, data)

        requester = _parse_requester(d.pop("requester", UNSET))

        def _parse_subject_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                subject_id_type_0 = UUID(data)

                return subject_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        subject_id = _parse_subject_id(d.pop("subject_id", UNSET))

        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))

        submit_in = cls(
            kind=kind,
            agent=agent,
            channel=channel,
            correction=correction,
            dpf=dpf,
            email=email,
            jurisdiction=jurisdiction,
            lookback=lookback,
            lookback_from=lookback_from,
            lookback_to=lookback_to,
            name=name,
            preverified=preverified,
            purpose=purpose,
            received_at=received_at,
            requester=requester,
            subject_id=subject_id,
            text=text,
        )

        return submit_in
