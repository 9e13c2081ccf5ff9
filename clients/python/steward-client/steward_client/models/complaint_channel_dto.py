from enum import StrEnum


class ComplaintChannelDto(StrEnum):
    CONSOLE = "console"
    EMAIL_PRIVACY = "email_privacy"
    PRIVACY_CENTER = "privacy_center"

    def __str__(self) -> str:
        return str(self.value)
