"""words an officer sent with no pending action are kept on a column of their own
(officers.unsent), so a reason, note or message started meanwhile never replaces them

Revision ID: 0006_officer_unsent
Revises: 0005_cards_details_parts
"""
from alembic import op
import sqlalchemy as sa

revision = "0006_officer_unsent"
down_revision = "0005_cards_details_parts"
branch_labels = None
depends_on = None

OFFICERS = sa.table("officers", sa.column("id", sa.Integer), sa.column("pending", sa.JSON),
                    sa.column("unsent", sa.JSON))


def upgrade() -> None:
    with op.batch_alter_table("officers") as batch:
        batch.add_column(sa.Column("unsent", sa.JSON(), nullable=True))
    # Words kept until now as a pending "offer" move to the new column, still encrypted.
    bind = op.get_bind()
    for row in bind.execute(sa.select(OFFICERS.c.id, OFFICERS.c.pending)).all():
        pending = row.pending or {}
        if pending.get("kind") == "offer":
            bind.execute(OFFICERS.update().where(OFFICERS.c.id == row.id).values(
                pending=sa.null(), unsent=dict(report_id=pending.get("report_id"),
                                          kept_enc=pending.get("kept_enc"))))


def downgrade() -> None:
    bind = op.get_bind()
    for row in bind.execute(sa.select(OFFICERS.c.id, OFFICERS.c.pending, OFFICERS.c.unsent)
                            ).all():
        if row.unsent and not row.pending:
            bind.execute(OFFICERS.update().where(OFFICERS.c.id == row.id).values(
                pending=dict(kind="offer", **row.unsent)))
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("unsent")
