"""evidence_files: evidence kept encrypted in the database instead of DATA_DIR/evidence, so
any instance can send it and the purge deletes it everywhere (the files an earlier version
kept on disk are moved in by every upgrade that is given DATA_DIR: bot.storage.evidence)

Revision ID: 0007_evidence_in_database
Revises: 0006_key_fingerprint
"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime

revision = "0007_evidence_in_database"
down_revision = "0006_key_fingerprint"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("path", sa.String(length=500), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    # The files exist only here now: going back would delete them.
    if op.get_bind().execute(sa.text("SELECT 1 FROM evidence_files LIMIT 1")).first():
        raise RuntimeError("evidence files are stored in the database (evidence_files); "
                           "a downgrade would delete them")
    op.drop_table("evidence_files")
