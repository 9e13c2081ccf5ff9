from enum import StrEnum


class RequesterDto(StrEnum):
    ADMIN = "admin"
    AGENT = "agent"
    SUBJECT = "subject"

    def __str__(self) -> str:
        return str(self.value)
