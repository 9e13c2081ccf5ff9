from enum import StrEnum


class AuditKindDto(StrEnum):
    ADMIN = "admin"
    CHOICE = "choice"
    DECISION = "decision"
    KEY = "key"
    READ = "read"
    REQUEST_STEP = "request_step"
    SYSTEM = "system"
    WRITE = "write"

    def __str__(self) -> str:
        return str(self.value)
