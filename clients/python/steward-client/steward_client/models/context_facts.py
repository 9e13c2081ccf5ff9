from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.legal_request_facts import LegalRequestFacts
    from ..models.policy_change_facts import PolicyChangeFacts
    from ..models.template_facts import TemplateFacts


T = TypeVar("T", bound="ContextFacts")


@_attrs_define
class ContextFacts:
    """The request context.

    Attributes:
        account (None | str | Unset): The account the request acts for (its id), so that its recorded agreements apply
            to a
            stored subject it is not a member of (a Customer's ship-to recipients). Read by the
            service, not by the engine.
        agreements (list[str] | Unset): Agreements of the policy the account accepted (`[[agreement]]` ids, or
            `id@version`:
            a version the policy no longer honours does not count), for stateless callers. For a stored subject the store's
            acceptance records decide instead (CUST-01, USPSPA-01, CARRIER-02).
        business_transfer (bool | Unset): Business-transfer event covers the subject.
        carrier_selected (bool | Unset): The account holder selected this carrier (the request's recipient) for the
            shipment
            (CARRIER-01), for stateless callers. For a stored subject or a named `account` the
            store's carrier selections decide instead.
        change_of_control_prompt_pending (bool | Unset): Change-of-control prompt not yet delivered.
        collected_under (None | str | Unset): The policy version in force when the data was collected (CHG-02,
            SCOPE-06). For a
            stored subject the service turns it into `policy_change` from its recorded versions
            and the notices the subject was sent. Read by the service, not by the engine.
        customer_undertaking (bool | Unset): Customer undertaking recorded.
        declared_purposes (list[str] | Unset): Purposes declared at collection.
        derived_from (list[str] | Unset): Categories the data was derived from (lock inheritance).
        gpc (bool | Unset): `Sec-GPC: 1` on this request.
        justification (bool | Unset): Justification / protection case recorded.
        legal_request (LegalRequestFacts | None | Unset): Legal request record.
        legal_request_id (None | str | Unset): The id of a legal request of the service's register, whose stored facts
            decide instead
            of `legal_request` (LEGALREQ-01). Read by the service, not by the engine.
        now (None | str | Unset): Decision time, RFC 3339. Required.
        policy_change (None | PolicyChangeFacts | Unset): What later policy versions changed for the data (CHG-03).
        project (bool | Unset): Allow the permitted subset of a disclosure and redact the rest.
        provided_categories (list[str] | Unset): The categories the subject has provided (USPS-07: a `[[required_data]]`
            entry refuses
            its purposes without them), for stateless callers. For a stored subject the categories
            it has items of decide instead.
        restricted (list[str] | Unset): Restricted categories (GDPR-17).
        retain_until (None | str | Unset): Item retention deadline, RFC 3339.
        retained (list[str] | Unset): Categories retained under an exception (CCPA-10).
        retained_purposes (list[str] | Unset): Purposes retained data may serve.
        sources (list[str] | Unset): Sources the data was collected from (their locks apply).
        template (None | TemplateFacts | Unset): Template of a message.
        ticket (bool | Unset): Message tied to a support ticket.
        tracker (None | str | Unset): Tracker of an automatic collection.
    """

    account: None | str | Unset = UNSET
    agreements: list[str] | Unset = UNSET
    business_transfer: bool | Unset = UNSET
    carrier_selected: bool | Unset = UNSET
    change_of_control_prompt_pending: bool | Unset = UNSET
    collected_under: None | str | Unset = UNSET
    customer_undertaking: bool | Unset = UNSET
    declared_purposes: list[str] | Unset = UNSET
    derived_from: list[str] | Unset = UNSET
    gpc: bool | Unset = UNSET
    justification: bool | Unset = UNSET
    legal_request: LegalRequestFacts | None | Unset = UNSET
    legal_request_id: None | str | Unset = UNSET
    now: None | str | Unset = UNSET
    policy_change: None | PolicyChangeFacts | Unset = UNSET
    project: bool | Unset = UNSET
    provided_categories: list[str] | Unset = UNSET
    restricted: list[str] | Unset = UNSET
    retain_until: None | str | Unset = UNSET
    retained: list[str] | Unset = UNSET
    retained_purposes: list[str] | Unset = UNSET
    sources: list[str] | Unset = UNSET
    template: None | TemplateFacts | Unset = UNSET
    ticket: bool | Unset = UNSET
    tracker: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.legal_request_facts import LegalRequestFacts  # noqa: PLC0415
        from ..models.policy_change_facts import PolicyChangeFacts  # noqa: PLC0415
        from ..models.template_facts import TemplateFacts  # noqa: PLC0415

        account: None | str | Unset
        if isinstance(self.account, Unset):
            account = UNSET
        else:
            account = self.account

        agreements: list[str] | Unset = UNSET
        if not isinstance(self.agreements, Unset):
            agreements = self.agreements

        business_transfer = self.business_transfer

        carrier_selected = self.carrier_selected

        change_of_control_prompt_pending = self.change_of_control_prompt_pending

        collected_under: None | str | Unset
        if isinstance(self.collected_under, Unset):
            collected_under = UNSET
        else:
            collected_under = self.collected_under

        customer_undertaking = self.customer_undertaking

        declared_purposes: list[str] | Unset = UNSET
        if not isinstance(self.declared_purposes, Unset):
            declared_purposes = self.declared_purposes

        derived_from: list[str] | Unset = UNSET
        if not isinstance(self.derived_from, Unset):
            derived_from = self.derived_from

        gpc = self.gpc

        justification = self.justification

        legal_request: dict[str, Any] | None | Unset
        if isinstance(self.legal_request, Unset):
            legal_request = UNSET
        elif isinstance(self.legal_request, LegalRequestFacts):
            legal_request = self.legal_request.to_dict()
        else:
            legal_request = self.legal_request

        legal_request_id: None | str | Unset
        if isinstance(self.legal_request_id, Unset):
            legal_request_id = UNSET
        else:
            legal_request_id = self.legal_request_id

        now: None | str | Unset
        if isinstance(self.now, Unset):
            now = UNSET
        else:
            now = self.now

        policy_change: dict[str, Any] | None | Unset
        if isinstance(self.policy_change, Unset):
            policy_change = UNSET
        elif isinstance(self.policy_change, PolicyChangeFacts):
            policy_change = self.policy_change.to_dict()
        else:
            policy_change = self.policy_change

        project = self.project

        provided_categories: list[str] | Unset = UNSET
        if not isinstance(self.provided_categories, Unset):
            provided_categories = self.provided_categories

        restricted: list[str] | Unset = UNSET
        if not isinstance(self.restricted, Unset):
            restricted = self.restricted

        retain_until: None | str | Unset
        if isinstance(self.retain_until, Unset):
            retain_until = UNSET
        else:
            retain_until = self.retain_until

        retained: list[str] | Unset = UNSET
        if not isinstance(self.retained, Unset):
            retained = self.retained

        retained_purposes: list[str] | Unset = UNSET
        if not isinstance(self.retained_purposes, Unset):
            retained_purposes = self.retained_purposes

        sources: list[str] | Unset = UNSET
        if not isinstance(self.sources, Unset):
            sources = self.sources

        template: dict[str, Any] | None | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        elif isinstance(self.template, TemplateFacts):
            template = self.template.to_dict()
        else:
            template = self.template

        ticket = self.ticket

        tracker: None | str | Unset
        if isinstance(self.tracker, Unset):
            tracker = UNSET
        else:
            tracker = self.tracker

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if account is not UNSET:
            field_dict["account"] = account
        if agreements is not UNSET:
            field_dict["agreements"] = agreements
        if business_transfer is not UNSET:
            field_dict["business_transfer"] = business_transfer
        if carrier_selected is not UNSET:
            field_dict["carrier_selected"] = carrier_selected
        if change_of_control_prompt_pending is not UNSET:
            field_dict["change_of_control_prompt_pending"] = change_of_control_prompt_pending
        if collected_under is not UNSET:
            field_dict["collected_under"] = collected_under
        if customer_undertaking is not UNSET:
            field_dict["customer_undertaking"] = customer_undertaking
        if declared_purposes is not UNSET:
            field_dict["declared_purposes"] = declared_purposes
        if derived_from is not UNSET:
            field_dict["derived_from"] = derived_from
        if gpc is not UNSET:
            field_dict["gpc"] = gpc
        if justification is not UNSET:
            field_dict["justification"] = justification
        if legal_request is not UNSET:
            field_dict["legal_request"] = legal_request
        if legal_request_id is not UNSET:
            field_dict["legal_request_id"] = legal_request_id
        if now is not UNSET:
            field_dict["now"] = now
        if policy_change is not UNSET:
            field_dict["policy_change"] = policy_change
        if project is not UNSET:
            field_dict["project"] = project
        if provided_categories is not UNSET:
            field_dict["provided_categories"] = provided_categories
        if restricted is not UNSET:
            field_dict["restricted"] = restricted
        if retain_until is not UNSET:
            field_dict["retain_until"] = retain_until
        if retained is not UNSET:
            field_dict["retained"] = retained
        if retained_purposes is not UNSET:
            field_dict["retained_purposes"] = retained_purposes
        if sources is not UNSET:
            field_dict["sources"] = sources
        if template is not UNSET:
            field_dict["template"] = template
        if ticket is not UNSET:
            field_dict["ticket"] = ticket
        if tracker is not UNSET:
            field_dict["tracker"] = tracker

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.legal_request_facts import LegalRequestFacts  # noqa: PLC0415
        from ..models.policy_change_facts import PolicyChangeFacts  # noqa: PLC0415
        from ..models.template_facts import TemplateFacts  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_account(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account = _parse_account(d.pop("account", UNSET))

        agreements = cast(list[str], d.pop("agreements", UNSET))

        business_transfer = d.pop("business_transfer", UNSET)

        carrier_selected = d.pop("carrier_selected", UNSET)

        change_of_control_prompt_pending = d.pop("change_of_control_prompt_pending", UNSET)

        def _parse_collected_under(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        collected_under = _parse_collected_under(d.pop("collected_under", UNSET))

        customer_undertaking = d.pop("customer_undertaking", UNSET)

        declared_purposes = cast(list[str], d.pop("declared_purposes", UNSET))

        derived_from = cast(list[str], d.pop("derived_from", UNSET))

        gpc = d.pop("gpc", UNSET)

        justification = d.pop("justification", UNSET)

        def _parse_legal_request(data: object) -> LegalRequestFacts | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                legal_request_type_0 = LegalRequestFacts.from_dict(data)

                return legal_request_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LegalRequestFacts | None | Unset, data)

        legal_request = _parse_legal_request(d.pop("legal_request", UNSET))

        def _parse_legal_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        legal_request_id = _parse_legal_request_id(d.pop("legal_request_id", UNSET))

        def _parse_now(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        now = _parse_now(d.pop("now", UNSET))

        def _parse_policy_change(data: object) -> None | PolicyChangeFacts | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                policy_change_type_0 = PolicyChangeFacts.from_dict(data)

                return policy_change_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PolicyChangeFacts | Unset, data)

        policy_change = _parse_policy_change(d.pop("policy_change", UNSET))

        project = d.pop("project", UNSET)

        provided_categories = cast(list[str], d.pop("provided_categories", UNSET))

        restricted = cast(list[str], d.pop("restricted", UNSET))

        def _parse_retain_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retain_until = _parse_retain_until(d.pop("retain_until", UNSET))

        retained = cast(list[str], d.pop("retained", UNSET))

        retained_purposes = cast(list[str], d.pop("retained_purposes", UNSET))

        sources = cast(list[str], d.pop("sources", UNSET))

        def _parse_template(data: object) -> None | TemplateFacts | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                template_type_0 = TemplateFacts.from_dict(data)

                return template_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TemplateFacts | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        ticket = d.pop("ticket", UNSET)

        def _parse_tracker(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        tracker = _parse_tracker(d.pop("tracker", UNSET))

        context_facts = cls(
            account=account,
            agreements=agreements,
            business_transfer=business_transfer,
            carrier_selected=carrier_selected,
            change_of_control_prompt_pending=change_of_control_prompt_pending,
            collected_under=collected_under,
            customer_undertaking=customer_undertaking,
            declared_purposes=declared_purposes,
            derived_from=derived_from,
            gpc=gpc,
            justification=justification,
            legal_request=legal_request,
            legal_request_id=legal_request_id,
            now=now,
            policy_change=policy_change,
            project=project,
            provided_categories=provided_categories,
            restricted=restricted,
            retain_until=retain_until,
            retained=retained,
            retained_purposes=retained_purposes,
            sources=sources,
            template=template,
            ticket=ticket,
            tracker=tracker,
        )

        return context_facts
