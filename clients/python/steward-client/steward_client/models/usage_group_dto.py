from enum import StrEnum


class UsageGroupDto(StrEnum):
    GEO = "geo"
    PAGE = "page"
    TRACKER = "tracker"

    def __str__(self) -> str:
        return str(self.value)
