"""outbox rows are intents: a channel (outbox.channel, 'telegram' by default) and a few
channel-neutral parameters (outbox.params) instead of rendered words and Telegram's
keyboard (outbox.text, outbox.markup, dropped); the channel renders a row when it sends it

Revision ID: 0003_outbox_intents
Revises: 0002_whatsapp_channel
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_outbox_intents"
down_revision = "0002_whatsapp_channel"
branch_labels = None
depends_on = None

OUTBOX = sa.table("outbox", sa.column("id", sa.Integer), sa.column("status", sa.String),
                  sa.column("purpose", sa.String), sa.column("text", sa.Text),
                  sa.column("params", sa.JSON))
# Rendered when sent already before this revision.
RENDERED_AT_SEND = ("receipt", "new_code", "receipt_lost", "contact", "card")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=False,
                                   server_default="telegram"))
        batch.add_column(sa.Column("params", sa.JSON(), nullable=True))
    # Rows still waiting were queued with their words rendered: they keep them (words
    # that name nobody; a person's words stay in secret_enc) and go out as they were,
    # without their buttons. Nothing queued is lost by the upgrade.
    bind = op.get_bind()
    waiting = bind.execute(sa.select(OUTBOX.c.id, OUTBOX.c.text)
                           .where(OUTBOX.c.status == "pending",
                                  OUTBOX.c.purpose.not_in(RENDERED_AT_SEND))).all()
    for row in waiting:
        bind.execute(OUTBOX.update().where(OUTBOX.c.id == row.id)
                     .values(params={"stored": row.text or ""}))
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("markup")
        batch.drop_column("text")


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("markup", sa.JSON(), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("params")
        batch.drop_column("channel")
