from enum import StrEnum


class SubjectKindDto(StrEnum):
    AUTHORIZED_USER = "authorized_user"
    CHAT_GUEST = "chat_guest"
    CUSTOMER_ACCOUNT_HOLDER = "customer_account_holder"
    RECIPIENT = "recipient"
    STAFF = "staff"
    SUPPLIER_CONTACT = "supplier_contact"
    SURVEY_RESPONDENT = "survey_respondent"
    VISITOR = "visitor"

    def __str__(self) -> str:
        return str(self.value)
