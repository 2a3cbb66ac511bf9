"""All Tandem models, importable from one place (Alembic's autogenerate needs them all loaded)."""
from surveys.db import Base
from surveys.models.access import ApiToken, LoginAttempt
from surveys.models.jobs import JobLock
from surveys.models.messages import (
    KeptMessageBatch, MessageConsent, MessageSample, MessageSwitch, MessageTally)
from surveys.models.org import Department, Manager, Member, Team, manager_teams
from surveys.models.outgoing import MailState, OutgoingMail
from surveys.models.panel import PanelCell, PanelWeek
from surveys.models.responses import Answer, Response
from surveys.models.signals import InterventionPlan, PlanState, SignalState, StoredSignal
from surveys.models.rounds import (
    Cadence, Invitation, InvitationToken, RoundState, Schedule, SurveyRound)

__all__ = [
    "Answer", "ApiToken", "Base", "Cadence", "Department", "Invitation", "InterventionPlan",
    "InvitationToken", "JobLock", "KeptMessageBatch", "LoginAttempt", "MailState", "Manager",
    "Member", "MessageConsent", "MessageSample", "MessageSwitch", "MessageTally", "OutgoingMail",
    "PanelCell", "PanelWeek", "PlanState", "Response", "RoundState", "Schedule", "SignalState",
    "StoredSignal", "SurveyRound", "Team", "manager_teams",
]
