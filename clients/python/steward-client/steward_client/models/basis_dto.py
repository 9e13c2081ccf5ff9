from enum import StrEnum


class BasisDto(StrEnum):
    PERMITTED_BY_LAW = "permitted_by_law"
    REQUIRED_BY_LAW = "required_by_law"

    def __str__(self) -> str:
        return str(self.value)
