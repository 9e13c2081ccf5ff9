from enum import StrEnum


class InstrumentDto(StrEnum):
    COURT_ORDER = "court_order"
    NATIONAL_SECURITY = "national_security"
    OTHER_LAW_ENFORCEMENT_REQUEST = "other_law_enforcement_request"
    SEARCH_WARRANT = "search_warrant"
    SELF_INITIATED_PROTECTION = "self_initiated_protection"
    SUBPOENA = "subpoena"

    def __str__(self) -> str:
        return str(self.value)
