"""Nothing lost, one tap: captions kept with evidence.

Revision ID: 0002_i8_nothing_lost
Revises: 0002_i7b_access_and_quotas
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_i8_nothing_lost"
down_revision = "0002_i7b_access_and_quotas"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("caption", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("caption")
