"""Vocabulary shared by every part of the engine: categories, statuses, roles, events.

Values are stored in the database; labels a person reads live in the renderers.
"""
from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    CALO = "calo"                  # unlicensed recruiter / broker
    FAKE_JOB = "fake_job"          # fake or fraudulent overseas job offer
    FORGED_DOCS = "forged_docs"    # forged documents or data (age, passport)
    CONFINEMENT = "confinement"    # holding/confining prospective workers
    TPPO = "tppo"                  # suspected trafficking in persons
    ABROAD = "abroad"              # a migrant worker in trouble abroad
    OTHER = "other"


class Status(StrEnum):
    NEW = "new"                    # not yet claimed
    CLAIMED = "claimed"
    VERIFIED = "verified"
    IN_PROGRESS = "in_progress"
    REFERRED = "referred"
    RESOLVED = "resolved"
    INVALID = "invalid"
    DUPLICATE = "duplicate"


CLOSED_STATUSES = frozenset({Status.RESOLVED, Status.INVALID, Status.DUPLICATE})
OPEN_STATUSES = frozenset(Status) - CLOSED_STATUSES


class ReferralTarget(StrEnum):
    POLICE = "police"
    KP2MI = "kp2mi"                # KP2MI / BP3MI
    DISNAKER = "disnaker"


class Role(StrEnum):
    OFFICER = "officer"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class EventKind(StrEnum):
    CREATED = "created"
    ALERTED = "alerted"
    CLAIMED = "claimed"
    STATUS = "status"
    NOTE = "note"
    TO_REPORTER = "to_reporter"
    FROM_REPORTER = "from_reporter"
    REMINDER = "reminder"
    ESCALATION = "escalation"
    REASSIGNED = "reassigned"
    EVIDENCE_RESENT = "evidence_resent"
    RELEASED = "released"          # back in the queue: released, or its officer was deactivated
    REOPENED = "reopened"          # a closed case opened again
    SNOOZED = "snoozed"            # its reminders paused for a while


OUTSIDE_REGION = "OUT"
