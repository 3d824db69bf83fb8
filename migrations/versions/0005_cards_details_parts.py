"""details over several messages are remembered part by part (so every part follows the
case), and whether they showed the contactable reporter's contact (so an edit keeps it)

Revision ID: 0005_cards_details_parts
Revises: 0004_h1_one_tap
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_cards_details_parts"
down_revision = "0004_h1_one_tap"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_cards") as batch:
        batch.add_column(sa.Column("view_key", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("part", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("shows_contact", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("case_cards") as batch:
        batch.drop_column("shows_contact")
        batch.drop_column("part")
        batch.drop_column("view_key")
