from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

T = TypeVar("T", bound="AddMember")


@_attrs_define
class AddMember:
    """A member to add.

    Attributes:
        subject_id (UUID): The subject to add as a user of the account.
    """

    subject_id: UUID

    def to_dict(self) -> dict[str, Any]:
        subject_id = str(self.subject_id)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "subject_id": subject_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject_id = UUID(d.pop("subject_id"))

        add_member = cls(
            subject_id=subject_id,
        )

        return add_member
