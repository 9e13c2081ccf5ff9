from enum import StrEnum


class RiskDto(StrEnum):
    HIGH = "high"
    RISK = "risk"
    UNLIKELY = "unlikely"

    def __str__(self) -> str:
        return str(self.value)
