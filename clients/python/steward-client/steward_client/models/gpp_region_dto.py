from enum import StrEnum


class GppRegionDto(StrEnum):
    CALIFORNIA = "california"
    OTHER_US_STATE = "other_us_state"
    OUTSIDE_US = "outside_us"

    def __str__(self) -> str:
        return str(self.value)
