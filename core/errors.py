from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DomainError(Exception):
    """A rule of the model refused a change; the message is for the person who asked."""

    def __init__(self, message: "StrOrPromise") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)
