from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.actor_facts import ActorFacts
    from ..models.context_facts import ContextFacts
    from ..models.subject_facts import SubjectFacts


T = TypeVar("T", bound="Request")


@_attrs_define
class Request:
    """One decision request.

    Attributes:
        action (None | str | Unset): `admin_authorize`: `view`, `change`, `delete`, `change_choices`, `submit_request`.
        actor (ActorFacts | None | Unset): `admin_authorize`: who acts.
        categories (list[str] | Unset): `can_disclose`: the categories to disclose.
        category (None | str | Unset): `can_collect`, `can_use`, `admin_authorize`: the category.
        channel (None | str | Unset): `can_send`: `email`, `sms`, `phone`, `postal`.
        context (ContextFacts | Unset): The request context.
        id (None | str | Unset): Caller's correlation id, echoed in the response.
        message_kind (None | str | Unset): `can_send`: `transactional`, `policy_change`, `support_followup`,
            `marketing_first_party`, `marketing_third_party_offer`.
        op (Literal['admin_authorize'] | Literal['can_collect'] | Literal['can_disclose'] | Literal['can_send'] |
            Literal['can_set_tracker'] | Literal['can_use'] | Literal['effective_choices'] | None | Unset): The operation.
        partner (None | str | Unset): `can_collect`: the integration or enrichment partner.
        purpose (None | str | Unset): `can_use`, `can_disclose`: the purpose.
        recipient (None | str | Unset): `can_disclose`: the recipient.
        source (None | str | Unset): `can_collect`: the source.
        subject (SubjectFacts | Unset): The subject's facts.
        tracker (None | str | Unset): `can_set_tracker`: the tracker.
    """

    action: None | str | Unset = UNSET
    actor: ActorFacts | None | Unset = UNSET
    categories: list[str] | Unset = UNSET
    category: None | str | Unset = UNSET
    channel: None | str | Unset = UNSET
    context: ContextFacts | Unset = UNSET
    id: None | str | Unset = UNSET
    message_kind: None | str | Unset = UNSET
    op: (
        Literal["admin_authorize"]
        | Literal["can_collect"]
        | Literal["can_disclose"]
        | Literal["can_send"]
        | Literal["can_set_tracker"]
        | Literal["can_use"]
        | Literal["effective_choices"]
        | None
        | Unset
    ) = UNSET
    partner: None | str | Unset = UNSET
    purpose: None | str | Unset = UNSET
    recipient: None | str | Unset = UNSET
    source: None | str | Unset = UNSET
    subject: SubjectFacts | Unset = UNSET
    tracker: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.actor_facts import ActorFacts  # noqa: PLC0415

        action: None | str | Unset
        if isinstance(self.action, Unset):
            action = UNSET
        else:
            action = self.action

        actor: dict[str, Any] | None | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        elif isinstance(self.actor, ActorFacts):
            actor = self.actor.to_dict()
        else:
            actor = self.actor

        categories: list[str] | Unset = UNSET
        if not isinstance(self.categories, Unset):
            categories = self.categories

        category: None | str | Unset
        if isinstance(self.category, Unset):
            category = UNSET
        else:
            category = self.category

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        context: dict[str, Any] | Unset = UNSET
        if not isinstance(self.context, Unset):
            context = self.context.to_dict()

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        message_kind: None | str | Unset
        if isinstance(self.message_kind, Unset):
            message_kind = UNSET
        else:
            message_kind = self.message_kind

        op: (
            Literal["admin_authorize"]
            | Literal["can_collect"]
            | Literal["can_disclose"]
            | Literal["can_send"]
            | Literal["can_set_tracker"]
            | Literal["can_use"]
            | Literal["effective_choices"]
            | None
            | Unset
        )
        if isinstance(self.op, Unset):
            op = UNSET
        else:
            op = self.op

        partner: None | str | Unset
        if isinstance(self.partner, Unset):
            partner = UNSET
        else:
            partner = self.partner

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        else:
            purpose = self.purpose

        recipient: None | str | Unset
        if isinstance(self.recipient, Unset):
            recipient = UNSET
        else:
            recipient = self.recipient

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        subject: dict[str, Any] | Unset = UNSET
        if not isinstance(self.subject, Unset):
            subject = self.subject.to_dict()

        tracker: None | str | Unset
        if isinstance(self.tracker, Unset):
            tracker = UNSET
        else:
            tracker = self.tracker

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if action is not UNSET:
            field_dict["action"] = action
        if actor is not UNSET:
            field_dict["actor"] = actor
        if categories is not UNSET:
            field_dict["categories"] = categories
        if category is not UNSET:
            field_dict["category"] = category
        if channel is not UNSET:
            field_dict["channel"] = channel
        if context is not UNSET:
            field_dict["context"] = context
        if id is not UNSET:
            field_dict["id"] = id
        if message_kind is not UNSET:
            field_dict["message_kind"] = message_kind
        if op is not UNSET:
            field_dict["op"] = op
        if partner is not UNSET:
            field_dict["partner"] = partner
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if recipient is not UNSET:
            field_dict["recipient"] = recipient
        if source is not UNSET:
            field_dict["source"] = source
        if subject is not UNSET:
            field_dict["subject"] = subject
        if tracker is not UNSET:
            field_dict["tracker"] = tracker

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.actor_facts import ActorFacts  # noqa: PLC0415
        from ..models.context_facts import ContextFacts  # noqa: PLC0415
        from ..models.subject_facts import SubjectFacts  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_action(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        action = _parse_action(d.pop("action", UNSET))

        def _parse_actor(data: object) -> ActorFacts | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                actor_type_0 = ActorFacts.from_dict(data)

                return actor_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ActorFacts | None | Unset, data)

        actor = _parse_actor(d.pop("actor", UNSET))

        categories = cast(list[str], d.pop("categories", UNSET))

        def _parse_category(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        category = _parse_category(d.pop("category", UNSET))

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

        _context = d.pop("context", UNSET)
        context: ContextFacts | Unset
        if isinstance(_context, Unset):
            context = UNSET
        else:
            context = ContextFacts.from_dict(_context)

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_message_kind(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message_kind = _parse_message_kind(d.pop("message_kind", UNSET))

        def _parse_op(
            data: object,
        ) -> (
            Literal["admin_authorize"]
            | Literal["can_collect"]
            | Literal["can_disclose"]
            | Literal["can_send"]
            | Literal["can_set_tracker"]
            | Literal["can_use"]
            | Literal["effective_choices"]
            | None
            | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            componentsschemas_op_type_0 = cast(Literal["can_collect"], data)
            if componentsschemas_op_type_0 != "can_collect":
                raise ValueError(
                    f"/components/schemas/Op_type_0 must match const 'can_collect', got '{componentsschemas_op_type_0}'"
                )
            return componentsschemas_op_type_0
            componentsschemas_op_type_1 = cast(Literal["can_use"], data)
            if componentsschemas_op_type_1 != "can_use":
                raise ValueError(
                    f"/components/schemas/Op_type_1 must match const 'can_use', got '{componentsschemas_op_type_1}'"
                )
            return componentsschemas_op_type_1
            componentsschemas_op_type_2 = cast(Literal["can_disclose"], data)
            if componentsschemas_op_type_2 != "can_disclose":
                raise ValueError(
                    f"/components/schemas/Op_type_2 must match const 'can_disclose', got '{componentsschemas_op_type_2}'"
                )
            return componentsschemas_op_type_2
            componentsschemas_op_type_3 = cast(Literal["can_send"], data)
            if componentsschemas_op_type_3 != "can_send":
                raise ValueError(
                    f"/components/schemas/Op_type_3 must match const 'can_send', got '{componentsschemas_op_type_3}'"
                )
            return componentsschemas_op_type_3
            componentsschemas_op_type_4 = cast(Literal["can_set_tracker"], data)
            if componentsschemas_op_type_4 != "can_set_tracker":
                raise ValueError(
                    f"/components/schemas/Op_type_4 must match const 'can_set_tracker', got '{componentsschemas_op_type_4}'"
                )
            return componentsschemas_op_type_4
            componentsschemas_op_type_5 = cast(Literal["effective_choices"], data)
            if componentsschemas_op_type_5 != "effective_choices":
                raise ValueError(
                    f"/components/schemas/Op_type_5 must match const 'effective_choices', got '{componentsschemas_op_type_5}'"
                )
            return componentsschemas_op_type_5
            componentsschemas_op_type_6 = cast(Literal["admin_authorize"], data)
            if componentsschemas_op_type_6 != "admin_authorize":
                raise ValueError(
                    f"/components/schemas/Op_type_6 must match const 'admin_authorize', got '{componentsschemas_op_type_6}'"
                )
            return componentsschemas_op_type_6
            return cast(
                Literal["admin_authorize"]
                | Literal["can_collect"]
                | Literal["can_disclose"]
                | Literal["can_send"]
                | Literal["can_set_tracker"]
                | Literal["can_use"]
                | Literal["effective_choices"]
                | None
                | Unset,
                data,
            )

        op = _parse_op(d.pop("op", UNSET))

        def _parse_partner(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        partner = _parse_partner(d.pop("partner", UNSET))

        def _parse_purpose(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        def _parse_recipient(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        recipient = _parse_recipient(d.pop("recipient", UNSET))

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        _subject = d.pop("subject", UNSET)
        subject: SubjectFacts | Unset
        if isinstance(_subject, Unset):
            subject = UNSET
        else:
            subject = SubjectFacts.from_dict(_subject)

        def _parse_tracker(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tracker = _parse_tracker(d.pop("tracker", UNSET))

        request = cls(
            action=action,
            actor=actor,
            categories=categories,
            category=category,
            channel=channel,
            context=context,
            id=id,
            message_kind=message_kind,
            op=op,
            partner=partner,
            purpose=purpose,
            recipient=recipient,
            source=source,
            subject=subject,
            tracker=tracker,
        )

        return request
