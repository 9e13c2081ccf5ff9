from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.device_ref import DeviceRef


T = TypeVar("T", bound="WithdrawChoices")


@_attrs_define
class WithdrawChoices:
    """Consents or opt-outs to withdraw (each key is recorded as `false`).

    Attributes:
        keys (list[str]): The keys to set to `false` (1 to 1000).
        channel (None | str | Unset): Channel.
        device (DeviceRef | None | Unset):
        source (None | str | Unset): Who withdrew: `user` (default), `agent`, `parent`, `support`.
        subject_id (None | Unset | UUID): A stored subject.
    """

    keys: list[str]
    channel: None | str | Unset = UNSET
    device: DeviceRef | None | Unset = UNSET
    source: None | str | Unset = UNSET
    subject_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.device_ref import DeviceRef  # noqa: PLC0415

        keys = self.keys

        channel: None | str | Unset
        if isinstance(self.channel, Unset):
            channel = UNSET
        else:
            channel = self.channel

        device: dict[str, Any] | None | Unset
        if isinstance(self.device, Unset):
            device = UNSET
        elif isinstance(self.device, DeviceRef):
            device = self.device.to_dict()
        else:
            device = self.device

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

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
                "keys": keys,
            }
        )
        if channel is not UNSET:
            field_dict["channel"] = channel
        if device is not UNSET:
            field_dict["device"] = device
        if source is not UNSET:
            field_dict["source"] = source
        if subject_id is not UNSET:
            field_dict["subject_id"] = subject_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.device_ref import DeviceRef  # noqa: PLC0415

        d = dict(src_dict)
        keys = cast(list[str], d.pop("keys"))

        def _parse_channel(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        channel = _parse_channel(d.pop("channel", UNSET))

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

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

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

        withdraw_choices = cls(
            keys=keys,
            channel=channel,
            device=device,
            source=source,
            subject_id=subject_id,
        )

        return withdraw_choices
