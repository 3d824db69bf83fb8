"""What running as a service needs in the database: updates already taken, moved chats."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime, utcnow


class ProcessedUpdate(SQLModel, table=True):
    """A Telegram update_id taken for processing; kept a day, so a repeat is dropped."""

    __tablename__ = "processed_updates"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class ChatMove(SQLModel, table=True):
    """A group upgraded to a supergroup has a new chat id; messages follow it."""

    __tablename__ = "chat_moves"

    old_chat_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    new_chat_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    moved_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DeploymentFact(SQLModel, table=True):
    """What every instance of one deployment must agree on, recorded by the first start:
    the encryption key's fingerprint (an HMAC of a constant under a key derived from
    ENCRYPTION_KEY; it neither reveals nor confirms the key)."""

    __tablename__ = "deployment_facts"

    name: str = Field(primary_key=True, max_length=32)
    value: str = Field(max_length=128)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
