"""licensed-agency register, its status history, prevention counts

Revision ID: 0002_i10_agencies
Revises: 0002_i9_service
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import models.base


revision = '0002_i10_agencies'
down_revision = '0002_i9_service'
branch_labels = None
depends_on = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        'agencies',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('nib', text(length=32), nullable=True),
        sa.Column('sip3mi_no', text(length=120), nullable=True),
        sa.Column('nama', text(length=200), nullable=False),
        sa.Column('alias', sa.JSON(), nullable=False),
        sa.Column('jenis_kantor', text(length=8), nullable=False),
        sa.Column('induk_nib', text(length=32), nullable=True),
        sa.Column('alamat', sa.Text(), nullable=True),
        sa.Column('kab_kota', text(length=120), nullable=False),
        sa.Column('provinsi', text(length=120), nullable=True),
        sa.Column('status', text(length=24), nullable=False),
        sa.Column('status_mulai', sa.Date(), nullable=True),
        sa.Column('status_sampai', sa.Date(), nullable=True),
        sa.Column('no_sk', text(length=200), nullable=True),
        sa.Column('sumber', text(length=300), nullable=True),
        sa.Column('tgl_verifikasi', sa.Date(), nullable=True),
        sa.Column('match_keys', sa.JSON(), nullable=False),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('nib', 'jenis_kantor', 'kab_kota', name='uq_agencies_office'),
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_nib'), ['nib'], unique=False)
        batch_op.create_index(batch_op.f('ix_agencies_sip3mi_no'), ['sip3mi_no'], unique=False)

    op.create_table(
        'agency_status_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=False),
        sa.Column('status', text(length=24), nullable=False),
        sa.Column('status_mulai', sa.Date(), nullable=True),
        sa.Column('status_sampai', sa.Date(), nullable=True),
        sa.Column('no_sk', text(length=200), nullable=True),
        sa.Column('sumber', text(length=300), nullable=True),
        sa.Column('tgl_verifikasi', sa.Date(), nullable=True),
        sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('agency_status_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_status_history_agency_id'), ['agency_id'],
                              unique=False)

    op.create_table(
        'prevention_counts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', text(length=24), nullable=False),
        sa.Column('outcome', text(length=32), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('day', 'kind', 'outcome', name='uq_prevention_counts'),
    )
    with op.batch_alter_table('prevention_counts', schema=None) as batch_op:
        batch_op.create_index('ix_prevention_counts_kind_day', ['kind', 'day'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('prevention_counts', schema=None) as batch_op:
        batch_op.drop_index('ix_prevention_counts_kind_day')
    op.drop_table('prevention_counts')
    with op.batch_alter_table('agency_status_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_status_history_agency_id'))
    op.drop_table('agency_status_history')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_sip3mi_no'))
        batch_op.drop_index(batch_op.f('ix_agencies_nib'))
    op.drop_table('agencies')
