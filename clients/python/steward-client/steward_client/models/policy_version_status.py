from enum import StrEnum


class PolicyVersionStatus(StrEnum):
    IN_FORCE = "in_force"
    SCHEDULED = "scheduled"
    SUPERSEDED = "superseded"

    def __str__(self) -> str:
        return str(self.value)
