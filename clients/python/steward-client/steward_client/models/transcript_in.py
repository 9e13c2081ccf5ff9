from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..models.transport_dto import TransportDto

if TYPE_CHECKING:
    from ..models.chat_message_in import ChatMessageIn


T = TypeVar("T", bound="TranscriptIn")


@_attrs_define
class TranscriptIn:
    """A chat transcript.

    Attributes:
        messages (list[ChatMessageIn]): The messages.
        minimization_notice_shown (bool): The minimization notice was shown (CHAT-02).
        subject_id (UUID): Whose chat.
        ticket (str): The support ticket.
        transport (TransportDto): How a chat was transmitted.
    """

    messages: list[ChatMessageIn]
    minimization_notice_shown: bool
    subject_id: UUID
    ticket: str
    transport: TransportDto

    def to_dict(self) -> dict[str, Any]:
        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        minimization_notice_shown = self.minimization_notice_shown

        subject_id = str(self.subject_id)

        ticket = self.ticket

        transport = self.transport.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "messages": messages,
                "minimization_notice_shown": minimization_notice_shown,
                "subject_id": subject_id,
                "ticket": ticket,
                "transport": transport,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chat_message_in import ChatMessageIn  # noqa: PLC0415

        d = dict(src_dict)
        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = ChatMessageIn.from_dict(messages_item_data)

            messages.append(messages_item)

        minimization_notice_shown = d.pop("minimization_notice_shown")

        subject_id = UUID(d.pop("subject_id"))

        ticket = d.pop("ticket")

        transport = TransportDto(d.pop("transport"))

        transcript_in = cls(
            messages=messages,
            minimization_notice_shown=minimization_notice_shown,
            subject_id=subject_id,
            ticket=ticket,
            transport=transport,
        )

        return transcript_in
