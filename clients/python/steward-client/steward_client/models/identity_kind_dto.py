from enum import StrEnum


class IdentityKindDto(StrEnum):
    ACCOUNT_REF = "account_ref"
    COOKIE = "cookie"
    DEVICE = "device"
    EMAIL = "email"
    PHONE = "phone"

    def __str__(self) -> str:
        return str(self.value)
