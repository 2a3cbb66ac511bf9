"""All Tandem models, importable from one place (Alembic's autogenerate needs them all loaded)."""
from surveys.db import Base
from surveys.models.org import Department, Manager, Member, Team, manager_teams
from surveys.models.outgoing import MailState, OutgoingMail
from surveys.models.responses import Answer, Response
from surveys.models.rounds import (
    Cadence, Invitation, InvitationToken, RoundState, Schedule, SurveyRound)

__all__ = [
    "Answer", "Base", "Cadence", "Department", "Invitation", "InvitationToken", "MailState",
    "Manager", "Member", "OutgoingMail", "Response", "RoundState", "Schedule", "SurveyRound",
    "Team", "manager_teams",
]
