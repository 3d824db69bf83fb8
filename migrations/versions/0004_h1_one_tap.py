"""one tap for officers: every message that shows a case is remembered with what it
shows (so a change edits it, and only when it differs); a case's reminders can be snoozed

Revision ID: 0004_h1_one_tap
Revises: 0003_i7a_reporter_safety
"""
from alembic import op
import sqlalchemy as sa

import models.base

revision = "0004_h1_one_tap"
down_revision = "0003_i7a_reporter_safety"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_cards") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False,
                                   server_default="card"))
        batch.add_column(sa.Column("digest", sa.String(length=32), nullable=True))
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("snoozed_until", models.base.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("snoozed_until")
    with op.batch_alter_table("case_cards") as batch:
        batch.drop_column("digest")
        batch.drop_column("kind")
