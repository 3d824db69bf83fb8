"""the surge brake counts in one row per purpose (surge_windows), moved in one UPDATE, so
reports submitted at the same moment each get a send slot of their own

Revision ID: 0005_surge_windows
Revises: 0004_seal_pins_and_digests
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_surge_windows"
down_revision = "0004_seal_pins_and_digests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "surge_windows",
        sa.Column("purpose", sa.String(length=16), primary_key=True),
        sa.Column("starts_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("surge_windows")
