from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.agent_out import AgentOut
    from ..models.clock_out import ClockOut
    from ..models.delivery_out import DeliveryOut
    from ..models.denial_out import DenialOut
    from ..models.extension_out import ExtensionOut
    from ..models.failure_out import FailureOut
    from ..models.message_out import MessageOut
    from ..models.repeat_out import RepeatOut
    from ..models.request_out_plan_type_0 import RequestOutPlanType0
    from ..models.step_out import StepOut
    from ..models.verification_out import VerificationOut


T = TypeVar("T", bound="RequestOut")


@_attrs_define
class RequestOut:
    """A request in full: clocks per regime, verification, plan, steps, messages (kinds and
    states only) and deliveries. No personal data: contact details stay sealed.

        Attributes:
            channel (str): Channel.
            days_left (int): Days left (negative when overdue).
            due (str): Due (deadline in force).
            id (str): Id.
            kind (str): Kind.
            max_due (str): Latest possible deadline.
            may_deny_unverified (bool): CCPA-04: still unverified at its deadline — it may be denied as unverifiable.
            received_at (str): Received.
            requester (str): Who submitted it.
            state (str): State.
            status (str): `ON_TRACK`, `AT_RISK`, `OVERDUE`, or `CLOSED`.
            deliveries (list[DeliveryOut]): Webhook deliveries.
            messages (list[MessageOut]): Outbox messages (kind and state only).
            regimes (list[ClockOut]): Regimes and their clocks (DL-03).
            steps (list[StepOut]): Steps.
            verification (VerificationOut): Verification required and done (DEC-09).
            ack_due (None | str | Unset): Acknowledgement due.
            subject (None | str | Unset): Subject (pseudonymous id), once known.
            agent (AgentOut | None | Unset):
            denial (DenialOut | None | Unset):
            extension (ExtensionOut | None | Unset):
            failure (FailureOut | None | Unset):
            plan (None | RequestOutPlanType0 | Unset): The erasure plan (deletion requests): `{delete, retain, notify,
                suppression_kept,
                datasets}`.
            propagate_by (None | str | Unset): Propagation deadline for opt-outs (CCPA-13).
            repeat (None | RepeatOut | Unset):
    """

    channel: str
    days_left: int
    due: str
    id: str
    kind: str
    max_due: str
    may_deny_unverified: bool
    received_at: str
    requester: str
    state: str
    status: str
    deliveries: list[DeliveryOut]
    messages: list[MessageOut]
    regimes: list[ClockOut]
    steps: list[StepOut]
    verification: VerificationOut
    ack_due: None | str | Unset = UNSET
    subject: None | str | Unset = UNSET
    agent: AgentOut | None | Unset = UNSET
    denial: DenialOut | None | Unset = UNSET
    extension: ExtensionOut | None | Unset = UNSET
    failure: FailureOut | None | Unset = UNSET
    plan: None | RequestOutPlanType0 | Unset = UNSET
    propagate_by: None | str | Unset = UNSET
    repeat: None | RepeatOut | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.agent_out import AgentOut  # noqa: PLC0415
        from ..models.denial_out import DenialOut  # noqa: PLC0415
        from ..models.extension_out import ExtensionOut  # noqa: PLC0415
        from ..models.failure_out import FailureOut  # noqa: PLC0415
        from ..models.repeat_out import RepeatOut  # noqa: PLC0415
        from ..models.request_out_plan_type_0 import RequestOutPlanType0  # noqa: PLC0415

        channel = self.channel

        days_left = self.days_left

        due = self.due

        id = self.id

        kind = self.kind

        max_due = self.max_due

        may_deny_unverified = self.may_deny_unverified

        received_at = self.received_at

        requester = self.requester

        state = self.state

        status = self.status

        deliveries = []
        for deliveries_item_data in self.deliveries:
            deliveries_item = deliveries_item_data.to_dict()
            deliveries.append(deliveries_item)

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        regimes = []
        for regimes_item_data in self.regimes:
            regimes_item = regimes_item_data.to_dict()
            regimes.append(regimes_item)

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)

        verification = self.verification.to_dict()

        ack_due: None | str | Unset
        if isinstance(self.ack_due, Unset):
            ack_due = UNSET
        else:
            ack_due = self.ack_due

        subject: None | str | Unset
        if isinstance(self.subject, Unset):
            subject = UNSET
        else:
            subject = self.subject

        agent: dict[str, Any] | None | Unset
        if isinstance(self.agent, Unset):
            agent = UNSET
        elif isinstance(self.agent, AgentOut):
            agent = self.agent.to_dict()
        else:
            agent = self.agent

        denial: dict[str, Any] | None | Unset
        if isinstance(self.denial, Unset):
            denial = UNSET
        elif isinstance(self.denial, DenialOut):
            denial = self.denial.to_dict()
        else:
            denial = self.denial

        extension: dict[str, Any] | None | Unset
        if isinstance(self.extension, Unset):
            extension = UNSET
        elif isinstance(self.extension, ExtensionOut):
            extension = self.extension.to_dict()
        else:
            extension = self.extension

        failure: dict[str, Any] | None | Unset
        if isinstance(self.failure, Unset):
            failure = UNSET
        elif isinstance(self.failure, FailureOut):
            failure = self.failure.to_dict()
        else:
            failure = self.failure

        plan: dict[str, Any] | None | Unset
        if isinstance(self.plan, Unset):
            plan = UNSET
        elif isinstance(self.plan, RequestOutPlanType0):
            plan = self.plan.to_dict()
        else:
            plan = self.plan

        propagate_by: None | str | Unset
        if isinstance(self.propagate_by, Unset):
            propagate_by = UNSET
        else:
            propagate_by = self.propagate_by

        repeat: dict[str, Any] | None | Unset
        if isinstance(self.repeat, Unset):
            repeat = UNSET
        elif isinstance(self.repeat, RepeatOut):
            repeat = self.repeat.to_dict()
        else:
            repeat = self.repeat

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "channel": channel,
                "days_left": days_left,
                "due": due,
                "id": id,
                "kind": kind,
                "max_due": max_due,
                "may_deny_unverified": may_deny_unverified,
                "received_at": received_at,
                "requester": requester,
                "state": state,
                "status": status,
                "deliveries": deliveries,
                "messages": messages,
                "regimes": regimes,
                "steps": steps,
                "verification": verification,
            }
        )
        if ack_due is not UNSET:
            field_dict["ack_due"] = ack_due
        if subject is not UNSET:
            field_dict["subject"] = subject
        if agent is not UNSET:
            field_dict["agent"] = agent
        if denial is not UNSET:
            field_dict["denial"] = denial
        if extension is not UNSET:
            field_dict["extension"] = extension
        if failure is not UNSET:
            field_dict["failure"] = failure
        if plan is not UNSET:
            field_dict["plan"] = plan
        if propagate_by is not UNSET:
            field_dict["propagate_by"] = propagate_by
        if repeat is not UNSET:
            field_dict["repeat"] = repeat

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.agent_out import AgentOut  # noqa: PLC0415
        from ..models.clock_out import ClockOut  # noqa: PLC0415
        from ..models.delivery_out import DeliveryOut  # noqa: PLC0415
        from ..models.denial_out import DenialOut  # noqa: PLC0415
        from ..models.extension_out import ExtensionOut  # noqa: PLC0415
        from ..models.failure_out import FailureOut  # noqa: PLC0415
        from ..models.message_out import MessageOut  # noqa: PLC0415
        from ..models.repeat_out import RepeatOut  # noqa: PLC0415
        from ..models.request_out_plan_type_0 import RequestOutPlanType0  # noqa: PLC0415
        from ..models.step_out import StepOut  # noqa: PLC0415
        from ..models.verification_out import VerificationOut  # noqa: PLC0415

        d = dict(src_dict)
        channel = d.pop("channel")

        days_left = d.pop("days_left")

        due = d.pop("due")

        id = d.pop("id")

        kind = d.pop("kind")

        max_due = d.pop("max_due")

        may_deny_unverified = d.pop("may_deny_unverified")

        received_at = d.pop("received_at")

        requester = d.pop("requester")

        state = d.pop("state")

        status = d.pop("status")

        deliveries = []
        _deliveries = d.pop("deliveries")
        for deliveries_item_data in _deliveries:
            deliveries_item = DeliveryOut.from_dict(deliveries_item_data)

            deliveries.append(deliveries_item)

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = MessageOut.from_dict(messages_item_data)

            messages.append(messages_item)

        regimes = []
        _regimes = d.pop("regimes")
        for regimes_item_data in _regimes:
            regimes_item = ClockOut.from_dict(regimes_item_data)

            regimes.append(regimes_item)

        steps = []
        _steps = d.pop("steps")
        for steps_item_data in _steps:
            steps_item = StepOut.from_dict(steps_item_data)

            steps.append(steps_item)

        verification = VerificationOut.from_dict(d.pop("verification"))

        def _parse_ack_due(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ack_due = _parse_ack_due(d.pop("ack_due", UNSET))

        def _parse_subject(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        subject = _parse_subject(d.pop("subject", UNSET))

        def _parse_agent(data: object) -> AgentOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agent_type_0 = AgentOut.from_dict(data)

                return agent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgentOut | None | Unset, data)

        agent = _parse_agent(d.pop("agent", UNSET))

        def _parse_denial(data: object) -> DenialOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                denial_type_0 = DenialOut.from_dict(data)

                return denial_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DenialOut | None | Unset, data)

        denial = _parse_denial(d.pop("denial", UNSET))

        def _parse_extension(data: object) -> ExtensionOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                extension_type_0 = ExtensionOut.from_dict(data)

                return extension_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ExtensionOut | None | Unset, data)

        extension = _parse_extension(d.pop("extension", UNSET))

        def _parse_failure(data: object) -> FailureOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                failure_type_0 = FailureOut.from_dict(data)

                return failure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FailureOut | None | Unset, data)

        failure = _parse_failure(d.pop("failure", UNSET))

        def _parse_plan(data: object) -> None | RequestOutPlanType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                plan_type_0 = RequestOutPlanType0.from_dict(data)

                return plan_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RequestOutPlanType0 | Unset, data)

        plan = _parse_plan(d.pop("plan", UNSET))

        def _parse_propagate_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        propagate_by = _parse_propagate_by(d.pop("propagate_by", UNSET))

        def _parse_repeat(data: object) -> None | RepeatOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                repeat_type_0 = RepeatOut.from_dict(data)

                return repeat_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RepeatOut | Unset, data)

        repeat = _parse_repeat(d.pop("repeat", UNSET))

        request_out = cls(
            channel=channel,
            days_left=days_left,
            due=due,
            id=id,
            kind=kind,
            max_due=max_due,
            may_deny_unverified=may_deny_unverified,
            received_at=received_at,
            requester=requester,
            state=state,
            status=status,
            deliveries=deliveries,
            messages=messages,
            regimes=regimes,
            steps=steps,
            verification=verification,
            ack_due=ack_due,
            subject=subject,
            agent=agent,
            denial=denial,
            extension=extension,
            failure=failure,
            plan=plan,
            propagate_by=propagate_by,
            repeat=repeat,
        )

        request_out.additional_properties = d
        return request_out

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
