from enum import StrEnum


class ScanGroupDto(StrEnum):
    EVENT = "event"
    ZIP3 = "zip3"

    def __str__(self) -> str:
        return str(self.value)
