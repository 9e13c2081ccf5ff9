from enum import StrEnum


class TransportDto(StrEnum):
    HTTP = "http"
    TLS1_2 = "tls1.2"
    TLS1_3 = "tls1.3"

    def __str__(self) -> str:
        return str(self.value)
