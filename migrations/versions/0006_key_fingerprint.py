"""deployment_facts: the first start records the encryption key's fingerprint, and every
start and standby takeover with another key refuses

Revision ID: 0006_key_fingerprint
Revises: 0005_surge_windows
"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime

revision = "0006_key_fingerprint"
down_revision = "0005_surge_windows"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deployment_facts",
        sa.Column("name", sa.String(length=32), primary_key=True),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("deployment_facts")
