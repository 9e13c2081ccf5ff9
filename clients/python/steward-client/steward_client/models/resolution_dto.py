from enum import StrEnum


class ResolutionDto(StrEnum):
    RESOLVED = "resolved"
    UNRESOLVED = "unresolved"

    def __str__(self) -> str:
        return str(self.value)
