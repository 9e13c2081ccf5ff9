from enum import StrEnum


class PermissionDto(StrEnum):
    CHANGE_PI = "change_pi"
    DELETE_PI = "delete_pi"
    VIEW_PI = "view_pi"

    def __str__(self) -> str:
        return str(self.value)
