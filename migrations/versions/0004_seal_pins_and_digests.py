"""the reporter's location pin kept encrypted (reports.location_enc), the case's columns
rounded to about a kilometre; evidence digests keyed (HMAC with the lookup key)

Both change rows already stored, so this step needs the key: ``tipbot db upgrade`` and
``tipbot run`` pass it (bot.storage.db.upgrade_database(vault=...)). A database with such
rows is not migrated without it.

Revision ID: 0004_seal_pins_and_digests (at most 32 characters: alembic_version on PostgreSQL)
Revises: 0003_outbox_intents
"""
import json

import sqlalchemy as sa
from alembic import context, op

revision = "0004_seal_pins_and_digests"
down_revision = "0003_outbox_intents"
branch_labels = None
depends_on = None

REPORTS = sa.table("reports", sa.column("id", sa.Integer), sa.column("latitude", sa.Float),
                   sa.column("longitude", sa.Float), sa.column("location_enc", sa.Text))
EVIDENCE = sa.table("evidence", sa.column("id", sa.Integer), sa.column("sha256", sa.String))
COARSE_DECIMALS = 2        # as bot.engine.form.COARSE_DECIMALS when this was written


def _vault():
    vault = context.config.attributes.get("vault")
    vault = vault() if callable(vault) else vault      # opened only when rows need it
    if vault is None:
        raise RuntimeError("this migration encrypts stored location pins and keys evidence "
                           "digests: run it with the encryption key (tipbot db upgrade)")
    return vault


def upgrade() -> None:
    bind = op.get_bind()
    pins = bind.execute(sa.select(REPORTS.c.id, REPORTS.c.latitude, REPORTS.c.longitude)
                        .where(REPORTS.c.latitude.is_not(None))).all()
    digests = bind.execute(sa.select(EVIDENCE.c.id, EVIDENCE.c.sha256)).all()
    # Asked for before the schema changes: SQLite does not roll an ALTER TABLE back.
    vault = _vault() if pins or digests else None
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("location_enc", sa.Text(), nullable=True))
    if vault is None:
        return
    for row in pins:
        sealed = {"latitude": row.latitude, "longitude": row.longitude}
        bind.execute(REPORTS.update().where(REPORTS.c.id == row.id).values(
            location_enc=vault.encrypt(json.dumps(sealed)),
            latitude=round(row.latitude, COARSE_DECIMALS),
            longitude=round(row.longitude, COARSE_DECIMALS) if row.longitude is not None
            else None))
    # The digest of the cleaned bytes, keyed: new rows get lookup_hash("evidence", sha256).
    for row in digests:
        bind.execute(EVIDENCE.update().where(EVIDENCE.c.id == row.id).values(
            sha256=vault.lookup_hash("evidence", row.sha256)))


def downgrade() -> None:
    # The pins go back to their columns when the key is at hand; the digests stay keyed
    # (an unkeyed digest cannot be recomputed without reading every file).
    bind = op.get_bind()
    sealed = bind.execute(sa.select(REPORTS.c.id, REPORTS.c.location_enc)
                          .where(REPORTS.c.location_enc.is_not(None))).all()
    vault = _vault() if sealed else None
    for row in sealed:
        pin = json.loads(vault.decrypt(row.location_enc))
        bind.execute(REPORTS.update().where(REPORTS.c.id == row.id).values(
            latitude=pin["latitude"], longitude=pin["longitude"]))
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("location_enc")
