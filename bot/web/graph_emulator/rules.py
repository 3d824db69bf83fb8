"""What the Cloud API refuses in a message a business sends, as Meta answers it.

Each check returns ``GraphError`` (code, message, details) or None. The limits are the
Cloud API's (developers.facebook.com/docs/whatsapp/cloud-api/reference/messages): at most
3 reply buttons with titles up to 20 characters; a list of at most 10 rows in all, row
titles up to 24, descriptions up to 72, its button up to 20; an interactive body up to
1024 characters; a text up to 4096.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_TEXT = 4096
MAX_INTERACTIVE_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_BUTTON_ID = 256
MAX_ROWS = 10
MAX_SECTIONS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ROW_ID = 200
MAX_LIST_BUTTON = 20
MAX_HEADER = 60
MAX_FOOTER = 60
MAX_CAPTION = 1024

# Codes as the Cloud API gives them.
INVALID_PARAMETER = 100
INVALID_TOKEN = 190
PARAMETER_NOT_VALID = 131009
REENGAGEMENT = 131047
MEDIA_ERROR = 131053
TEMPLATE_MISSING = 132001
TEMPLATE_PARAMS = 132000


@dataclass(frozen=True)
class GraphError:
    code: int
    message: str
    details: str = ""
    status: int = 400

    def body(self, trace: str) -> dict:
        error = {"message": f"(#{self.code}) {self.message}", "type": "OAuthException",
                 "code": self.code, "fbtrace_id": trace}
        if self.details:
            error["error_data"] = {"messaging_product": "whatsapp", "details": self.details}
        return {"error": error}


def _invalid(details: str) -> GraphError:
    return GraphError(PARAMETER_NOT_VALID, "Parameter value is not valid", details)


def _length(value: object) -> int:
    # Meta counts characters (code points) in these fields.
    return len(value) if isinstance(value, str) else 0


def check_text(payload: dict) -> GraphError | None:
    body = (payload.get("text") or {}).get("body")
    if not isinstance(body, str) or not body.strip():
        return GraphError(INVALID_PARAMETER, "Invalid parameter", "text['body'] is required")
    if _length(body) > MAX_TEXT:
        return GraphError(INVALID_PARAMETER, "Invalid parameter",
                          f"Param text['body'] must be at most {MAX_TEXT} characters long.")
    return None


def check_interactive(payload: dict) -> GraphError | None:
    interactive = payload.get("interactive") or {}
    kind = interactive.get("type")
    body = (interactive.get("body") or {}).get("text")
    if kind not in ("button", "list"):
        return _invalid(f"Interactive type {kind!r} is not supported here")
    if not isinstance(body, str) or not body.strip():
        return _invalid("Body text is required")
    if _length(body) > MAX_INTERACTIVE_BODY:
        return _invalid(f"Body text length invalid. Min length: 1, Max length: "
                        f"{MAX_INTERACTIVE_BODY}")
    header = interactive.get("header") or {}
    if _length(header.get("text")) > MAX_HEADER:
        return _invalid(f"Header text length invalid. Max length: {MAX_HEADER}")
    if _length((interactive.get("footer") or {}).get("text")) > MAX_FOOTER:
        return _invalid(f"Footer text length invalid. Max length: {MAX_FOOTER}")
    action = interactive.get("action") or {}
    return _check_buttons(action) if kind == "button" else _check_list(action)


def _check_buttons(action: dict) -> GraphError | None:
    buttons = action.get("buttons") or []
    if not 1 <= len(buttons) <= MAX_BUTTONS:
        return _invalid(f"Buttons count is invalid. Min: 1, Max: {MAX_BUTTONS}")
    ids, titles = set(), set()
    for button in buttons:
        reply = button.get("reply") or {}
        title, ident = reply.get("title"), reply.get("id")
        if button.get("type") != "reply" or not title or not ident:
            return _invalid("Each button needs type 'reply', an id and a title")
        if _length(title) > MAX_BUTTON_TITLE:
            return _invalid(f"Button title length invalid. Min length: 1, Max length: "
                            f"{MAX_BUTTON_TITLE}")
        if _length(ident) > MAX_BUTTON_ID:
            return _invalid(f"Button id length invalid. Max length: {MAX_BUTTON_ID}")
        if ident in ids or title in titles:
            return _invalid("Button title and id must be unique")
        ids.add(ident)
        titles.add(title)
    return None


def _check_list(action: dict) -> GraphError | None:
    button = action.get("button")
    if not button or _length(button) > MAX_LIST_BUTTON:
        return _invalid(f"Button text length invalid. Min length: 1, Max length: "
                        f"{MAX_LIST_BUTTON}")
    sections = action.get("sections") or []
    if not 1 <= len(sections) <= MAX_SECTIONS:
        return _invalid(f"Sections count is invalid. Min: 1, Max: {MAX_SECTIONS}")
    rows = [row for section in sections for row in section.get("rows") or []]
    if not rows:
        return _invalid("Each list needs at least one row")
    if len(rows) > MAX_ROWS:
        return _invalid(f"Total row count exceed max allowed count: {MAX_ROWS}")
    if len(sections) > 1 and any(not section.get("title") for section in sections):
        return _invalid("Section title is required when there is more than one section")
    ids = set()
    for row in rows:
        if not row.get("id") or not row.get("title"):
            return _invalid("Each row needs an id and a title")
        if _length(row["title"]) > MAX_ROW_TITLE:
            return _invalid(f"Row title length invalid. Max length: {MAX_ROW_TITLE}")
        if _length(row.get("description")) > MAX_ROW_DESCRIPTION:
            return _invalid(f"Row description length invalid. Max length: "
                            f"{MAX_ROW_DESCRIPTION}")
        if _length(row["id"]) > MAX_ROW_ID:
            return _invalid(f"Row id length invalid. Max length: {MAX_ROW_ID}")
        if row["id"] in ids:
            return _invalid("Row ids must be unique")
        ids.add(row["id"])
    return None


def check_media(payload: dict, kind: str, known: set[str]) -> GraphError | None:
    media = payload.get(kind) or {}
    if media.get("link"):
        return None
    if media.get("id") not in known:
        return GraphError(MEDIA_ERROR, "Media upload error",
                          "Media id is not valid or the media was deleted")
    if _length(media.get("caption")) > MAX_CAPTION:
        return GraphError(INVALID_PARAMETER, "Invalid parameter",
                          f"Param {kind}['caption'] must be at most {MAX_CAPTION} characters")
    return None


def check_location(payload: dict) -> GraphError | None:
    location = payload.get("location") or {}
    try:
        latitude, longitude = float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return GraphError(INVALID_PARAMETER, "Invalid parameter",
                          "location needs latitude and longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return GraphError(INVALID_PARAMETER, "Invalid parameter", "coordinates out of range")
    return None


def check_template(payload: dict, templates: dict[str, dict]) -> GraphError | None:
    template = payload.get("template") or {}
    name = template.get("name")
    language = (template.get("language") or {}).get("code")
    known = templates.get(name)
    if known is None or known["language"] != language:
        return GraphError(TEMPLATE_MISSING, "Template name does not exist in the translation",
                          f"template name ({name}) does not exist in {language}", status=404)
    if known.get("status") != "APPROVED":
        return GraphError(TEMPLATE_MISSING, "Template name does not exist in the translation",
                          f"template ({name}) is not approved", status=404)
    given = sum(len(component.get("parameters") or [])
                for component in template.get("components") or [])
    if given != known.get("parameters", 0):
        return GraphError(TEMPLATE_PARAMS, "Number of parameters does not match the expected "
                          "number of params")
    return None


WINDOW_ERROR = GraphError(
    REENGAGEMENT, "Re-engagement message",
    "Message failed to send because more than 24 hours have passed since the customer "
    "last replied to this number.")
