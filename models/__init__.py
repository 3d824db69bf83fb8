"""SQLModel tables. Importing this package registers every table on the metadata."""
from models.agency import Agency, AgencyStatus, PreventionCount
from models.base import UTCDateTime, utcnow
from models.delivery import AuditLog, CaseCard, JobRun, Outbox, RelayMessage, SurgeWindow
from models.officer import DutyCheckin, Invite, Officer, RosterShift
from models.report import CaseEvent, Evidence, EvidenceFile, Report, ReportContact, ReportLink
from models.reporter import Draft, Reporter
from models.service import ChatMove, DeploymentFact, ProcessedUpdate
from models.whatsapp import WhatsAppSeen, WhatsAppSent

__all__ = [
    "Agency", "AgencyStatus", "PreventionCount",
    "AuditLog", "CaseCard", "CaseEvent", "ChatMove", "DeploymentFact", "Draft", "DutyCheckin", "Evidence", "EvidenceFile", "Invite",
    "JobRun", "Officer", "Outbox", "ProcessedUpdate", "RelayMessage", "Report", "ReportContact",
    "ReportLink", "Reporter",
    "RosterShift", "SurgeWindow", "UTCDateTime", "WhatsAppSeen", "WhatsAppSent", "utcnow",
]
