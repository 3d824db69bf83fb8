"""Settings from the environment and ``.env``, loaded once and passed in."""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from urllib.parse import urlparse

from pydantic import BeforeValidator, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.engine.durations import parse_duration
from bot.web.listen import parse_listen

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]

_TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{8,}$")
_WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WHATSAPP_REQUIRED = ("WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_ACCESS_TOKEN",
                     "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN")
_PLACEHOLDER_TOKENS = {"123456:replace-me", "changeme", "your-token-here"}


def _split_ints(value: object) -> object:
    if isinstance(value, str):
        return [int(part) for part in re.split(r"[,\s]+", value.strip()) if part]
    if isinstance(value, int):
        return [value]
    return value


def _split_contacts(value: object) -> object:
    """``"Polri=110;KP2MI=0800-1000"`` -> [("Polri", "110"), ...]."""
    if isinstance(value, str):
        pairs = []
        for item in value.split(";"):
            if item.strip():
                name, _, number = item.partition("=")
                if not number.strip():
                    raise ValueError(f"emergency contact needs NAME=NUMBER: {item!r}")
                pairs.append((name.strip(), number.strip()))
        return pairs
    return value


def _split_replies(value: object) -> object:
    """``"Terima kasih.|Mohon kirim foto."`` -> ["Terima kasih.", "Mohon kirim foto."]."""
    if isinstance(value, str):
        return [item.strip() for item in value.split("|") if item.strip()]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    telegram_bot_token: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    data_dir: Path = Path("./data")
    database_url: str = ""
    default_locale: str = "id"
    timezone: str = "Asia/Jakarta"
    admin_telegram_ids: Annotated[list[int], NoDecode, BeforeValidator(_split_ints)] = Field(
        default_factory=list
    )
    encryption_key: str = ""
    emergency_contacts: Annotated[
        list[tuple[str, str]], NoDecode, BeforeValidator(_split_contacts)
    ] = Field(default_factory=lambda: [("Polri", "110"), ("KP2MI", "0800-1000")])
    regions_file: Path | None = None
    # Where /cekagensi sends people to check a licence further (SISKOP2MI, BP3MI Lampung).
    agency_advice_contacts: Annotated[
        list[tuple[str, str]], NoDecode, BeforeValidator(_split_contacts)
    ] = Field(default_factory=lambda: [("SISKOP2MI", "siskop2mi.bp2mi.go.id"),
                                       ("KP2MI", "0800-1000")])
    # Officers' quick replies to a reporter, "|"-separated, used as given; empty: the
    # translated defaults of bot/render/officer_desk.py.
    canned_replies: Annotated[list[str], NoDecode, BeforeValidator(_split_replies)] = Field(
        default_factory=list)
    # The safe-migration guide (/info); empty means the one shipped in bot/data/guide.json.
    guide_file: Path | None = None
    taskforce_chat_id: int | None = None
    # Flood control: at most this many updates per user in the window.
    flood_max_updates: int = 20
    flood_window: Duration = timedelta(seconds=10)
    max_evidence_files: int = 10
    max_evidence_bytes: int = 20 * 1024 * 1024
    # Abuse brakes (issue 7): new reports per reporter in any 24 hours; one urgent page
    # (every officer on duty and the supervisors) per reporter per interval; case alerts
    # sent per minute in a surge (the rest wait in the outbox); wrong follow-up codes per
    # account in an hour before a pause.
    reports_per_day: int = Field(default=3, ge=1)
    urgent_page_interval: Duration = timedelta(hours=1)
    alerts_per_minute: int = Field(default=30, ge=1)
    followup_tries_per_hour: int = Field(default=10, ge=1)
    unclaimed_reminder_after: Duration = timedelta(minutes=15)
    unclaimed_reminder_after_urgent: Duration = timedelta(minutes=5)
    escalate_after: Duration = timedelta(hours=1)
    escalate_after_urgent: Duration = timedelta(minutes=15)
    stale_case_after: Duration = timedelta(hours=24)
    stale_escalate_after: Duration = timedelta(days=3)
    sweep_interval: Duration = timedelta(seconds=30)
    # Long polling: after a poll that brought updates, the next waits this long, so that a
    # busy bot fetches several per call (bot/channels/telegram/requests.py PollingRequest).
    poll_batch_wait: Duration = timedelta(milliseconds=100)
    invite_ttl: Duration = timedelta(hours=24)
    # `tipbot sandbox` only: short timers, so a trainer sees a case remind and escalate.
    sandbox_reminder_after: Duration = timedelta(seconds=30)
    sandbox_escalate_after: Duration = timedelta(seconds=90)
    # Retention (docs/privacy.md): the daily purge deletes what is older than these.
    outbox_keep: Duration = timedelta(days=7)
    draft_expire_after: Duration = timedelta(days=7)
    retention_after_close: Duration = timedelta(days=365)
    log_level: str = "INFO"
    # "text" or "json" (one JSON object a line, for log shippers).
    log_format: str = "text"
    # Running as a service (docs/operations.md, "Running in production").
    webhook_url: str = ""
    webhook_secret: str = ""
    http_listen: str = ""
    # WhatsApp (Cloud API), a second channel for residents (README "Going live: WhatsApp").
    # The first four come together or not at all; the webhook is served at /whatsapp on
    # HTTP_LISTEN.
    whatsapp_phone_number_id: str = ""
    whatsapp_access_token: str = ""
    whatsapp_app_secret: str = ""
    whatsapp_verify_token: str = ""
    # Meta's Graph API with the version this code was written against; tests, the sandbox
    # and proxies point it elsewhere.
    whatsapp_api_base_url: str = "https://graph.facebook.com/v23.0"
    # The one approved template sent when the 24-hour window is closed (language "id").
    whatsapp_notice_template: str = "tipbot_kabar_baru"
    # A silent network partition must fail an update fast, not hang it.
    db_connect_timeout: Duration = timedelta(seconds=5)
    db_statement_timeout: Duration = timedelta(seconds=15)

    @field_validator("telegram_api_base_url", "telegram_file_base_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value

    @field_validator("whatsapp_api_base_url")
    @classmethod
    def _check_whatsapp_url(cls, value: str) -> str:
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc:
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value.rstrip("/")

    @field_validator("whatsapp_notice_template")
    @classmethod
    def _check_template_name(cls, value: str) -> str:
        # Meta's rule for template names: lowercase letters, digits and underscores.
        if not re.fullmatch(r"[a-z0-9_]{1,512}", value):
            raise ValueError("WHATSAPP_NOTICE_TEMPLATE: lowercase letters, digits and _ only")
        return value

    @field_validator("guide_file")
    @classmethod
    def _check_guide(cls, value: Path | None) -> Path | None:
        """A broken guide stops the start with one line, not a resident's /info later."""
        if value is not None:
            from bot.prevention.guide import load_guide
            load_guide(value)
        return value

    @field_validator("canned_replies")
    @classmethod
    def _check_canned(cls, value: list[str]) -> list[str]:
        # Sent by index from a button: the list must stay short, each reply one message.
        if len(value) > 10:
            raise ValueError("CANNED_REPLIES: at most 10 replies")
        if any(len(item) > 1000 for item in value):
            raise ValueError("CANNED_REPLIES: each reply at most 1000 characters")
        return value

    @field_validator("default_locale")
    @classmethod
    def _check_locale(cls, value: str) -> str:
        if value not in {"id", "en"}:
            raise ValueError("DEFAULT_LOCALE must be 'id' or 'en'")
        return value

    @field_validator("log_format")
    @classmethod
    def _check_log_format(cls, value: str) -> str:
        if value not in {"text", "json"}:
            raise ValueError("LOG_FORMAT must be 'text' or 'json'")
        return value

    @field_validator("http_listen")
    @classmethod
    def _check_listen(cls, value: str) -> str:
        if value:
            try:
                parse_listen(value)
            except ValueError as exc:
                raise ValueError(f"HTTP_LISTEN: {exc}") from None
        return value

    @model_validator(mode="after")
    def _check_webhook(self) -> "Settings":
        if not self.webhook_url:
            return self
        parsed = urlparse(self.webhook_url)
        if parsed.scheme != "https" or not parsed.netloc:
            raise ValueError("WEBHOOK_URL must be an https:// URL (Telegram calls only HTTPS)")
        if not _WEBHOOK_SECRET_RE.match(self.webhook_secret):
            raise ValueError("WEBHOOK_SECRET is required with WEBHOOK_URL: 1-256 of A-Z a-z 0-9 _ -")
        if not self.http_listen:
            raise ValueError("HTTP_LISTEN (host:port) is required with WEBHOOK_URL")
        return self

    @model_validator(mode="after")
    def _check_whatsapp(self) -> "Settings":
        given = [name for name in WHATSAPP_REQUIRED if getattr(self, name.lower())]
        if given and len(given) != len(WHATSAPP_REQUIRED):
            missing = [name for name in WHATSAPP_REQUIRED if name not in given]
            raise ValueError(f"WhatsApp needs {', '.join(WHATSAPP_REQUIRED)} together; "
                             f"missing {', '.join(missing)}")
        return self

    @property
    def whatsapp_enabled(self) -> bool:
        return bool(self.whatsapp_phone_number_id)

    @property
    def webhook_path(self) -> str:
        return urlparse(self.webhook_url).path or "/"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'tipbot.sqlite3').resolve()}"

    def token_problem(self) -> str | None:
        """Why the token cannot be used, or None when it looks right."""
        token = self.telegram_bot_token.strip()
        if not token:
            return "TELEGRAM_BOT_TOKEN is not set (get one from @BotFather, see README)"
        if token.lower() in _PLACEHOLDER_TOKENS or not _TOKEN_RE.match(token):
            return "TELEGRAM_BOT_TOKEN is malformed (expected digits:secret from @BotFather)"
        return None
