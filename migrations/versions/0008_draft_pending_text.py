"""drafts.pending_enc: a text a WhatsApp resident typed mid-form while an officer was
writing to them, kept encrypted until they say whether it was for the officer or the form

Revision ID: 0008_draft_pending_text
Revises: 0007_evidence_in_database
"""
from alembic import op
import sqlalchemy as sa

revision = "0008_draft_pending_text"
down_revision = "0007_evidence_in_database"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("drafts", sa.Column("pending_enc", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drafts") as batch:
        batch.drop_column("pending_enc")
