"""Create the whole schema: the tables of SQLModel's models as they stand.

One clean baseline instead of the nine steps the schema grew through before anything was
deployed. Later migrations chain onto it, one file each, named NNNN_what_it_does.py with
revision id equal to the file's name (tests/test_migrations.py checks the chain).

Revision ID: 0001_create_schema
Revises:
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import models.base

revision = "0001_create_schema"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nib', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('sip3mi_no', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('nama', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('alias', sa.JSON(), nullable=False),
    sa.Column('jenis_kantor', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('induk_nib', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('alamat', sa.Text(), nullable=True),
    sa.Column('kab_kota', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('provinsi', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('status_mulai', sa.Date(), nullable=True),
    sa.Column('status_sampai', sa.Date(), nullable=True),
    sa.Column('no_sk', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('sumber', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('tgl_verifikasi', sa.Date(), nullable=True),
    sa.Column('match_keys', sa.JSON(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nib', 'jenis_kantor', 'kab_kota', name='uq_agencies_office')
    )
    op.create_index(op.f('ix_agencies_nib'), 'agencies', ['nib'], unique=False)
    op.create_index(op.f('ix_agencies_sip3mi_no'), 'agencies', ['sip3mi_no'], unique=False)
    op.create_table('chat_moves',
    sa.Column('old_chat_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('new_chat_id', sa.BigInteger(), nullable=False),
    sa.Column('moved_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('old_chat_id')
    )
    op.create_table('job_runs',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('last_run_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('telegram_user_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('last_routed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('pending', sa.JSON(), nullable=True),
    sa.Column('unsent', sa.JSON(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('telegram_user_id')
    )
    op.create_table('prevention_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day', 'kind', 'outcome', name='uq_prevention_counts')
    )
    op.create_index('ix_prevention_counts_kind_day', 'prevention_counts', ['kind', 'day'], unique=False)
    op.create_table('processed_updates',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('received_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('update_id')
    )
    op.create_index(op.f('ix_processed_updates_received_at'), 'processed_updates', ['received_at'], unique=False)
    op.create_table('reporters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('lookup_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('chat_ref_enc', sa.Text(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('blocked', sa.Boolean(), nullable=False),
    sa.Column('awaiting', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('code_failures', sa.Integer(), nullable=False),
    sa.Column('code_failures_since', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notice', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_reporters_lookup_hash'), 'reporters', ['lookup_hash'], unique=True)
    op.create_table('agency_status_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('status_mulai', sa.Date(), nullable=True),
    sa.Column('status_sampai', sa.Date(), nullable=True),
    sa.Column('no_sk', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('sumber', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('tgl_verifikasi', sa.Date(), nullable=True),
    sa.Column('recorded_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_agency_status_history_agency_id'), 'agency_status_history', ['agency_id'], unique=False)
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('history', sa.JSON(), nullable=False),
    sa.Column('editing', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('secret_enc', sa.Text(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporters.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_drafts_reporter_id'), 'drafts', ['reporter_id'], unique=True)
    op.create_table('duty_checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('started_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_duty_checkins_officer_id'), 'duty_checkins', ['officer_id'], unique=False)
    op.create_table('invites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_by_id', sa.Integer(), nullable=True),
    sa.Column('used_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['officers.id'], ),
    sa.ForeignKeyConstraint(['used_by_id'], ['officers.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_number', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('card_token', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('followup_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('followup_enc', sa.Text(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('description_is_voice', sa.Boolean(), nullable=False),
    sa.Column('suspect_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('suspect_phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('suspect_company', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('suspect_social', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('victim_count', sa.Integer(), nullable=True),
    sa.Column('destination_country', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('destination_other', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('departure_date', sa.Date(), nullable=True),
    sa.Column('contactable', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('referred_to', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claim_seconds', sa.Integer(), nullable=True),
    sa.Column('close_seconds', sa.Integer(), nullable=True),
    sa.Column('last_activity_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('snoozed_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('purged_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['officers.id'], ),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporters.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_reports_assignee_id'), 'reports', ['assignee_id'], unique=False)
    op.create_index(op.f('ix_reports_card_token'), 'reports', ['card_token'], unique=True)
    op.create_index(op.f('ix_reports_case_number'), 'reports', ['case_number'], unique=True)
    op.create_index('ix_reports_claim_seconds', 'reports', ['claim_seconds', 'created_at'], unique=False)
    op.create_index('ix_reports_close_seconds', 'reports', ['close_seconds', 'created_at'], unique=False)
    op.create_index('ix_reports_created_category_urgent', 'reports', ['created_at', 'category', 'urgent'], unique=False)
    op.create_index('ix_reports_created_region', 'reports', ['created_at', 'region_code'], unique=False)
    op.create_index(op.f('ix_reports_followup_hash'), 'reports', ['followup_hash'], unique=True)
    op.create_index(op.f('ix_reports_reporter_id'), 'reports', ['reporter_id'], unique=False)
    op.create_index('ix_reports_status_assignee', 'reports', ['status', 'assignee_id'], unique=False)
    op.create_index('ix_reports_status_created', 'reports', ['status', 'created_at'], unique=False)
    op.create_index(op.f('ix_reports_suspect_phone'), 'reports', ['suspect_phone'], unique=False)
    op.create_table('roster_shifts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.Column('region_code', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_roster_shifts_officer_id'), 'roster_shifts', ['officer_id'], unique=False)
    op.create_table('case_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), server_default='card', nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('view_key', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('part', sa.Integer(), server_default='0', nullable=False),
    sa.Column('shows_contact', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_case_cards_report_id'), 'case_cards', ['report_id'], unique=False)
    op.create_table('case_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_case_events_report_id'), 'case_events', ['report_id'], unique=False)
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('draft_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('mime_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('file_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('path', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('is_description', sa.Boolean(), nullable=False),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('cleaned', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_evidence_draft_id'), 'evidence', ['draft_id'], unique=False)
    op.create_index(op.f('ix_evidence_report_id'), 'evidence', ['report_id'], unique=False)
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('secret_enc', sa.Text(), nullable=True),
    sa.Column('edit_message_id', sa.Integer(), nullable=True),
    sa.Column('markup', sa.JSON(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locked_until', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_message_id', sa.Integer(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.ForeignKeyConstraint(['reporter_id'], ['reporters.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('dedupe_key')
    )
    op.create_index(op.f('ix_outbox_report_id'), 'outbox', ['report_id'], unique=False)
    op.create_index('ix_outbox_status_due', 'outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_table('relay_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('side', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('chat_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_relay_messages_chat_key'), 'relay_messages', ['chat_key'], unique=False)
    op.create_index(op.f('ix_relay_messages_report_id'), 'relay_messages', ['report_id'], unique=False)
    op.create_table('report_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('name_enc', sa.Text(), nullable=False),
    sa.Column('phone_enc', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('report_id')
    )
    op.create_table('report_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('other_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['other_id'], ['reports.id'], ),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_report_links_other_id'), 'report_links', ['other_id'], unique=False)
    op.create_index(op.f('ix_report_links_report_id'), 'report_links', ['report_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_report_links_report_id'), table_name='report_links')
    op.drop_index(op.f('ix_report_links_other_id'), table_name='report_links')
    op.drop_table('report_links')
    op.drop_table('report_contacts')
    op.drop_index(op.f('ix_relay_messages_report_id'), table_name='relay_messages')
    op.drop_index(op.f('ix_relay_messages_chat_key'), table_name='relay_messages')
    op.drop_table('relay_messages')
    op.drop_index('ix_outbox_status_due', table_name='outbox')
    op.drop_index(op.f('ix_outbox_report_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index(op.f('ix_evidence_report_id'), table_name='evidence')
    op.drop_index(op.f('ix_evidence_draft_id'), table_name='evidence')
    op.drop_table('evidence')
    op.drop_index(op.f('ix_case_events_report_id'), table_name='case_events')
    op.drop_table('case_events')
    op.drop_index(op.f('ix_case_cards_report_id'), table_name='case_cards')
    op.drop_table('case_cards')
    op.drop_index(op.f('ix_roster_shifts_officer_id'), table_name='roster_shifts')
    op.drop_table('roster_shifts')
    op.drop_index(op.f('ix_reports_suspect_phone'), table_name='reports')
    op.drop_index('ix_reports_status_created', table_name='reports')
    op.drop_index('ix_reports_status_assignee', table_name='reports')
    op.drop_index(op.f('ix_reports_reporter_id'), table_name='reports')
    op.drop_index(op.f('ix_reports_followup_hash'), table_name='reports')
    op.drop_index('ix_reports_created_region', table_name='reports')
    op.drop_index('ix_reports_created_category_urgent', table_name='reports')
    op.drop_index('ix_reports_close_seconds', table_name='reports')
    op.drop_index('ix_reports_claim_seconds', table_name='reports')
    op.drop_index(op.f('ix_reports_case_number'), table_name='reports')
    op.drop_index(op.f('ix_reports_card_token'), table_name='reports')
    op.drop_index(op.f('ix_reports_assignee_id'), table_name='reports')
    op.drop_table('reports')
    op.drop_table('invites')
    op.drop_index(op.f('ix_duty_checkins_officer_id'), table_name='duty_checkins')
    op.drop_table('duty_checkins')
    op.drop_index(op.f('ix_drafts_reporter_id'), table_name='drafts')
    op.drop_table('drafts')
    op.drop_table('audit_log')
    op.drop_index(op.f('ix_agency_status_history_agency_id'), table_name='agency_status_history')
    op.drop_table('agency_status_history')
    op.drop_index(op.f('ix_reporters_lookup_hash'), table_name='reporters')
    op.drop_table('reporters')
    op.drop_index(op.f('ix_processed_updates_received_at'), table_name='processed_updates')
    op.drop_table('processed_updates')
    op.drop_index('ix_prevention_counts_kind_day', table_name='prevention_counts')
    op.drop_table('prevention_counts')
    op.drop_table('officers')
    op.drop_table('job_runs')
    op.drop_table('chat_moves')
    op.drop_index(op.f('ix_agencies_sip3mi_no'), table_name='agencies')
    op.drop_index(op.f('ix_agencies_nib'), table_name='agencies')
    op.drop_table('agencies')
