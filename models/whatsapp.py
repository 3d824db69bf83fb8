"""What the WhatsApp channel keeps beside the engine's tables."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class WhatsAppSeen(SQLModel, table=True):
    """A WhatsApp message id (wamid) taken for processing, the sibling of
    ProcessedUpdate: Meta redelivers a webhook it got no 200 for, and it is done once.
    Kept as a keyed hash: a wamid carries the sender's number (base64) inside it."""

    __tablename__ = "whatsapp_seen"

    wamid_hash: str = Field(primary_key=True, max_length=64)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class WhatsAppSent(SQLModel, table=True):
    """A message sent to a WhatsApp resident, until Meta says what became of it: a
    "failed" status for the 24-hour window puts its words (encrypted) back in the outbox."""

    __tablename__ = "whatsapp_sent"

    # A keyed hash, as in WhatsAppSeen: the wamid names the recipient's number.
    wamid_hash: str = Field(primary_key=True, max_length=64)
    outbox_id: int | None = Field(default=None, index=True)
    reporter_id: int = Field(index=True)
    report_id: int | None = None
    # The words (HTML as rendered), encrypted, kept only until delivered.
    content_enc: str | None = Field(default=None, sa_column=Column(Text))
    status: str = Field(default="accepted", max_length=12)
    error: int | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
