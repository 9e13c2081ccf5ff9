from enum import StrEnum


class ScopeDto(StrEnum):
    ADMIN = "admin"
    AGGREGATES = "aggregates"
    CASES = "cases"
    CHOICES = "choices"
    DECIDE = "decide"
    DSR = "dsr"
    EVENTS = "events"
    MAIL = "mail"
    READ_PII = "read_pii"
    SECURITY = "security"
    WRITE = "write"

    def __str__(self) -> str:
        return str(self.value)
