from enum import StrEnum


class EventOutcome(StrEnum):
    ACCEPTED = "accepted"
    DROPPED = "dropped"
    REJECTED = "rejected"
    STRIPPED = "stripped"

    def __str__(self) -> str:
        return str(self.value)
