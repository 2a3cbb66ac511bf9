"""The periodic jobs: surveys, detection, digests, alerts. Each is idempotent and safe to rerun."""
import time
from dataclasses import dataclass

from app.mail.digests import alert_message, digest_message
from app.mail.messages import invitation_message
from surveys.db import immediate_transaction
from surveys.digests import (
    alert_key, alerts_due, digest_content, digest_key, managers_due_digest)
from surveys.invitations import invitation_key, invitations_to_mail, issue_invitations, mint_token
from surveys.models import MailState
from surveys.outgoing import deliver, expire_stale_claims
from surveys.reminders import reminder_key, reminders_due
from surveys.rounds import close_finished_rounds, open_due_rounds, open_rounds


@dataclass
class SurveyRunReport:
    """Counts of what one run of the survey job did."""

    closed: int = 0
    opened: int = 0
    invited: int = 0
    invitations_sent: int = 0
    reminders_sent: int = 0
    failed: int = 0

    def __str__(self):
        return (f"closed {self.closed} round(s), opened {self.opened}, invited {self.invited}, "
                f"sent {self.invitations_sent} invitation(s) and {self.reminders_sent} "
                f"reminder(s), {self.failed} not delivered yet")


def run_due_surveys(session, now, transport, sleep=time.sleep):
    """Do everything the survey cadence asks for at `now`; each step is idempotent."""
    report = SurveyRunReport()
    expire_stale_claims(session, now)
    with immediate_transaction(session):
        report.closed = len(close_finished_rounds(session, now))
    with immediate_transaction(session):
        report.opened = len(open_due_rounds(session, now))
    with immediate_transaction(session):
        report.invited = sum(len(issue_invitations(session, r)) for r in open_rounds(session))
    _send_invitations(session, now, transport, sleep, report)
    _send_reminders(session, now, transport, sleep, report)
    return report


def _send_invitations(session, now, transport, sleep, report):
    for survey_round in open_rounds(session):
        for invitation in invitations_to_mail(session, survey_round, now):
            state = _deliver_link(session, invitation, invitation_key(invitation.id), None,
                                  now, transport, sleep)
            report.invitations_sent += state == MailState.SENT
            report.failed += state in (MailState.RETRY, MailState.FAILED)


def _send_reminders(session, now, transport, sleep, report):
    for invitation, kind in reminders_due(session, now):
        state = _deliver_link(session, invitation, reminder_key(invitation.id, kind), kind,
                              now, transport, sleep)
        report.reminders_sent += state == MailState.SENT
        report.failed += state in (MailState.RETRY, MailState.FAILED)


def _deliver_link(session, invitation, key, reminder_kind, now, transport, sleep):
    def compose(_mail):
        token = mint_token(session, invitation)
        return invitation_message(invitation.member, invitation.survey_round, token, reminder_kind)

    kind = "reminder" if reminder_kind else "invitation"
    return deliver(session, key, kind, invitation.member.email, compose, transport, now, sleep)


def send_due_digests(session, now, transport, sleep=time.sleep):
    """Send each manager's weekly digest once its day and hour have come; returns the count sent."""
    expire_stale_claims(session, now)
    sent = 0
    for manager, week in managers_due_digest(session, now):
        content = digest_content(session, manager, week, now)
        if content.quiet and not manager.quiet_week_emails:
            continue
        state = deliver(session, digest_key(manager, week), "digest", manager.email,
                        lambda _mail: digest_message(manager, content), transport, now, sleep)
        sent += state == MailState.SENT
    return sent


def send_due_alerts(session, now, transport, sleep=time.sleep):
    """Send same-day alerts for new high-severity signals; returns the count sent."""
    expire_stale_claims(session, now)
    sent = 0
    for manager, signal in alerts_due(session, now):
        state = deliver(session, alert_key(manager, signal), "alert", manager.email,
                        lambda _mail: alert_message(manager, signal), transport, now, sleep)
        sent += state == MailState.SENT
    return sent
