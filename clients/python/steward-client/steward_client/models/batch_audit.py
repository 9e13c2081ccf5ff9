from enum import StrEnum


class BatchAudit(StrEnum):
    BATCH = "batch"
    EACH = "each"

    def __str__(self) -> str:
        return str(self.value)
