"""reporter safety: encrypted outbox and draft secrets, durable receipt, clean evidence,
retention

Revision ID: 0003_i7a_reporter_safety
Revises: 0002_i8_nothing_lost
"""
from alembic import op
import sqlalchemy as sa

import models.base

revision = "0003_i7a_reporter_safety"
down_revision = "0002_i8_nothing_lost"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("secret_enc", sa.Text(), nullable=True))
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("followup_enc", sa.Text(), nullable=True))
        batch.add_column(sa.Column("purged_at", models.base.UTCDateTime(timezone=True),
                                   nullable=True))
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("cleaned", sa.Boolean(), nullable=False,
                                   server_default=sa.true()))
    with op.batch_alter_table("reporters") as batch:
        batch.add_column(sa.Column("notice", sa.String(length=32), nullable=True))
    with op.batch_alter_table("drafts") as batch:
        batch.add_column(sa.Column("secret_enc", sa.Text(), nullable=True))
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("last_run_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("job_runs")
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("secret_enc")
    with op.batch_alter_table("reporters") as batch:
        batch.drop_column("notice")
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("cleaned")
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("purged_at")
        batch.drop_column("followup_enc")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("secret_enc")
