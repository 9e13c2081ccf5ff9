from enum import StrEnum


class DeviceKindDto(StrEnum):
    COOKIE = "cookie"
    DEVICE = "device"

    def __str__(self) -> str:
        return str(self.value)
