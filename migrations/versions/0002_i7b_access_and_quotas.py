"""reporter safety: opaque card tokens, wrong follow-up codes counted per account

Revision ID: 0002_i7b_access_and_quotas
Revises: 0002_i10_agencies
"""
import secrets

from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.base


revision = '0002_i7b_access_and_quotas'
down_revision = '0002_i10_agencies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_token', sqlmodel.sql.sqltypes.AutoString(length=24),
                                      nullable=True))
    # Existing cases get a token too, so their old cards' buttons are simply refused.
    reports = sa.table('reports', sa.column('id', sa.Integer), sa.column('card_token', sa.String))
    connection = op.get_bind()
    for (report_id,) in connection.execute(sa.select(reports.c.id)).all():
        connection.execute(reports.update().where(reports.c.id == report_id)
                           .values(card_token=secrets.token_urlsafe(9)))
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reports_card_token'), ['card_token'], unique=True)

    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('code_failures', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('code_failures_since', models.base.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reporters', schema=None) as batch_op:
        batch_op.drop_column('code_failures_since')
        batch_op.drop_column('code_failures')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_card_token'))
        batch_op.drop_column('card_token')
