from enum import StrEnum


class LifecycleEventKind(StrEnum):
    ACCOUNT_CLOSED = "account_closed"
    ACCOUNT_REOPENED = "account_reopened"
    CONTRACT_END = "contract_end"
    LAST_ACTIVITY = "last_activity"

    def __str__(self) -> str:
        return str(self.value)
