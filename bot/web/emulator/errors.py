"""The error a Bot API method answers with, and how the emulator files it."""

from __future__ import annotations


class ApiError(Exception):
    """A Telegram error answer: ``{"ok": false, "error_code": code, "description": ...}``.

    ``violation`` says whether a correct bot could never have caused it (a malformed request:
    it goes to ``emu.violations``) or whether it is a condition of the world a bot must handle
    (message not modified, user blocked the bot, ...: it goes to ``emu.errors``).
    """

    def __init__(
        self,
        code: int,
        description: str,
        *,
        violation: bool = True,
        detail: str | None = None,
        parameters: dict | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.violation = violation
        self.detail = detail
        self.parameters = parameters

    def payload(self) -> dict:
        body = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str, *, violation: bool = True, detail: str | None = None) -> ApiError:
    """400 with Telegram's "Bad Request: " prefix (message given without it)."""
    return ApiError(400, f"Bad Request: {message}", violation=violation, detail=detail)


def expected(code: int, description: str) -> ApiError:
    """An error a correct bot can meet at run time (not a violation)."""
    return ApiError(code, description, violation=False)


# Errors a correct bot meets because of the state of the world: kept in emu.errors.
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
