from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.batch_audit import BatchAudit
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.request import Request


T = TypeVar("T", bound="BatchIn")


@_attrs_define
class BatchIn:
    """A batch of decision requests. Each element of `requests` is kept as raw JSON and decoded
    as a `DecisionRequest` on its own, so one malformed request is answered with an error
    object in its place and the rest is still decided.

        Attributes:
            audit (BatchAudit | None | Unset):
            requests (list[Request] | None | Unset): The requests (the decision JSON of `docs/decisions.md`), answered in
                order; a request
                that does not decode is answered with an error object in its place. Give either
                `requests`, or `template` and `subjects`.
            subjects (list[str] | None | Unset): Stored subject ids for `template`, answered in order.
            template (None | Request | Unset):
    """

    audit: BatchAudit | None | Unset = UNSET
    requests: list[Request] | None | Unset = UNSET
    subjects: list[str] | None | Unset = UNSET
    template: None | Request | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.request import Request  # noqa: PLC0415

        audit: None | str | Unset
        if isinstance(self.audit, Unset):
            audit = UNSET
        elif isinstance(self.audit, BatchAudit):
            audit = self.audit.value
        else:
            audit = self.audit

        requests: list[dict[str, Any]] | None | Unset
        if isinstance(self.requests, Unset):
            requests = UNSET
        elif isinstance(self.requests, list):
            requests = []
            for requests_type_0_item_data in self.requests:
                requests_type_0_item = requests_type_0_item_data.to_dict()
                requests.append(requests_type_0_item)

        else:
            requests = self.requests

        subjects: list[str] | None | Unset
        if isinstance(self.subjects, Unset):
            subjects = UNSET
        elif isinstance(self.subjects, list):
            subjects = self.subjects

        else:
            subjects = self.subjects

        template: dict[str, Any] | None | Unset
        if isinstance(self.template, Unset):
            template = UNSET
        elif isinstance(self.template, Request):
            template = self.template.to_dict()
        else:
            template = self.template

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if audit is not UNSET:
            field_dict["audit"] = audit
        if requests is not UNSET:
            field_dict["requests"] = requests
        if subjects is not UNSET:
            field_dict["subjects"] = subjects
        if template is not UNSET:
            field_dict["template"] = template

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.request import Request  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_audit(data: object) -> BatchAudit | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                audit_type_0 = BatchAudit(data)

                return audit_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BatchAudit | None | Unset, data)

        audit = _parse_audit(d.pop("audit", UNSET))

        def _parse_requests(data: object) -> list[Request] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                requests_type_0 = []
                _requests_type_0 = data
                for requests_type_0_item_data in _requests_type_0:
                    requests_type_0_item = Request.from_dict(requests_type_0_item_data)

                    requests_type_0.append(requests_type_0_item)

                return requests_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Request] | None | Unset, data)

        requests = _parse_requests(d.pop("requests", UNSET))

        def _parse_subjects(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                subjects_type_0 = cast(list[str], data)

                return subjects_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        subjects = _parse_subjects(d.pop("subjects", UNSET))

        def _parse_template(data: object) -> None | Request | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                template_type_0 = Request.from_dict(data)

                return template_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Request | Unset, data)

        template = _parse_template(d.pop("template", UNSET))

        batch_in = cls(
            audit=audit,
            requests=requests,
            subjects=subjects,
            template=template,
        )

        return batch_in
