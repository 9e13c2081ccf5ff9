from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.choice_in import ChoiceIn
    from ..models.device_ref import DeviceRef


T = TypeVar("T", bound="RecordChoices")


@_attrs_define
class RecordChoices:
    """Choices to record for a subject or a device (exactly one of the two).

    Attributes:
        choices (list[ChoiceIn]): The choices, recorded atomically (1 to 1000).
        device (DeviceRef | None | Unset):
        subject_id (None | Unset | UUID): A stored subject.
    """

    choices: list[ChoiceIn]
    device: DeviceRef | None | Unset = UNSET
    subject_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.device_ref import DeviceRef  # noqa: PLC0415

        choices = []
        for choices_item_data in self.choices:
            choices_item = choices_item_data.to_dict()
            choices.append(choices_item)

        device: dict[str, Any] | None | Unset
        if isinstance(self.device, Unset):
            device = UNSET
        elif isinstance(self.device, DeviceRef):
            device = self.device.to_dict()
        else:
            device = self.device

        subject_id: None | str | Unset
        if isinstance(self.subject_id, Unset):
            subject_id = UNSET
        elif isinstance(self.subject_id, UUID):
            subject_id = str(self.subject_id)
        else:
            subject_id = self.subject_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "choices": choices,
            }
        )
        if device is not UNSET:
            field_dict["device"] = device
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.choice_in import ChoiceIn  # noqa: PLC0415
        from ..models.device_ref import DeviceRef  # noqa: PLC0415

        d = dict(src_dict)
        choices = []
        _choices = d.pop("choices")
        for choices_item_data in _choices:
            choices_item = ChoiceIn.from_dict(choices_item_data)

            choices.append(choices_item)

        def _parse_device(data: object) -> DeviceRef | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                device_type_0 = DeviceRef.from_dict(data)

                return device_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeviceRef | None | Unset, data)

        device = _parse_device(d.pop("device", UNSET))

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

        record_choices = cls(
            choices=choices,
            device=device,
            subject_id=subject_id,
        )

        return record_choices
