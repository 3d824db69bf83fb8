"""WhatsApp, a second channel: wamids taken once (whatsapp_seen), messages sent until Meta
says what became of them (whatsapp_sent), and the 24-hour window on reporters

Revision ID: 0002_whatsapp_channel
Revises: 0001_create_schema
"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime

revision = "0002_whatsapp_channel"
down_revision = "0001_create_schema"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "whatsapp_seen",
        sa.Column("wamid_hash", sa.String(64), primary_key=True),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False))
    op.create_index("ix_whatsapp_seen_received_at", "whatsapp_seen", ["received_at"])
    op.create_table(
        "whatsapp_sent",
        sa.Column("wamid_hash", sa.String(64), primary_key=True),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("content_enc", sa.Text(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("error", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False))
    op.create_index("ix_whatsapp_sent_outbox_id", "whatsapp_sent", ["outbox_id"])
    op.create_index("ix_whatsapp_sent_reporter_id", "whatsapp_sent", ["reporter_id"])
    op.create_index("ix_whatsapp_sent_created_at", "whatsapp_sent", ["created_at"])
    with op.batch_alter_table("reporters") as batch:
        batch.add_column(sa.Column("last_message_at", UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("nudged_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reporters") as batch:
        batch.drop_column("nudged_at")
        batch.drop_column("last_message_at")
    op.drop_table("whatsapp_sent")
    op.drop_table("whatsapp_seen")
