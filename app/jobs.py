"""The periodic jobs: surveys, detection, digests, alerts. Each is idempotent and safe to rerun.

Each job decides which e-mails are due and hands their ledger keys to a `MailOut`: sent here and
now (the default), or, given `queue`, passed to the task queue's workers (`app.tasks`).
"""
import gc
import time
from dataclasses import dataclass

from app.mail.by_key import QUEUED, MailOut
from surveys.db import immediate_transaction
from surveys.digests import alert_key, alerts_due, digest_content, digest_key, managers_due_digest
from surveys.invitations import invitation_key, invitations_to_mail, issue_invitations
from surveys.models import MailState, Manager
from surveys.outgoing import expire_stale_claims
from surveys.reminders import reminder_key, reminders_due
from surveys.rounds import close_finished_rounds, open_due_rounds, open_rounds

#: Outcomes a job counts as done: sent here, or handed to a worker that will send it.
DONE = (MailState.SENT, QUEUED)


@dataclass
class SurveyRunReport:
    """Counts of what one run of the survey job did."""

    closed: int = 0
    opened: int = 0
    invited: int = 0
    invitations_sent: int = 0
    reminders_sent: int = 0
    failed: int = 0
    #: E-mails handed to the task queue rather than sent by this run.
    queued: int = 0

    def __str__(self):
        text = (f"closed {self.closed} round(s), opened {self.opened}, invited {self.invited}, "
                f"sent {self.invitations_sent} invitation(s) and {self.reminders_sent} "
                f"reminder(s), {self.failed} not delivered yet")
        return text + (f", {self.queued} queued for the workers" if self.queued else "")

    def count(self, outcome, sent_field):
        """Tally one e-mail's outcome under `sent_field` when sent."""
        if outcome == QUEUED:
            self.queued += 1
        elif outcome == MailState.SENT:
            setattr(self, sent_field, getattr(self, sent_field) + 1)
        elif outcome in (MailState.RETRY, MailState.FAILED):
            self.failed += 1


def run_due_surveys(session, now, transport, sleep=time.sleep, queue=None):
    """Do everything the survey cadence asks for at `now`; each step is idempotent."""
    report = SurveyRunReport()
    expire_stale_claims(session, now)
    with immediate_transaction(session):
        report.closed = len(close_finished_rounds(session, now))
    with immediate_transaction(session):
        report.opened = len(open_due_rounds(session, now))
    with immediate_transaction(session):
        report.invited = sum(len(issue_invitations(session, r)) for r in open_rounds(session))
    mail = MailOut(session, now, transport, sleep, queue)
    # Keys first, then the sending: see `_due_keys`.
    for key in _due_keys([invitation_key(invitation.id) for survey_round in open_rounds(session)
                          for invitation in invitations_to_mail(session, survey_round, now)]):
        report.count(mail.send(key), "invitations_sent")
    for key in _due_keys([reminder_key(invitation.id, kind)
                          for invitation, kind in reminders_due(session, now)]):
        report.count(mail.send(key), "reminders_sent")
    return report


def _due_keys(keys):
    """The ledger keys a job will send, taken out of the ORM objects that chose them.

    Every commit expires each object the session still holds, and sending one e-mail commits
    several times: a loop that kept its 5,000 invitations (or 500 managers) alive while sending
    did work proportional to e-mails × objects — 13 of a 500-manager digest run's 28 s of CPU.
    Keeping only strings lets the objects go, so each e-mail costs the same however many there are.
    """
    gc.collect()  # ORM objects refer to each other in cycles: let the chosen ones go now
    return keys


def send_due_digests(session, now, transport, sleep=time.sleep, queue=None):
    """Send each manager's weekly digest once its day and hour have come; returns the count sent.

    With `queue`, the count is of digests handed to the workers.
    """
    expire_stale_claims(session, now)
    mail, done = MailOut(session, now, transport, sleep, queue), 0
    due = _due_keys([(digest_key(manager, week), manager.id, week)
                     for manager, week in managers_due_digest(session, now)])
    for key, manager_id, week in due:
        # A quiet week is skipped here too, so the queue is not filled with tasks that send nothing.
        if queue is not None and _skipped_as_quiet(session, manager_id, week, now):
            continue
        done += mail.send(key) in DONE
    return done


def _skipped_as_quiet(session, manager_id, week, now):
    manager = session.get(Manager, manager_id)
    return (not manager.quiet_week_emails
            and digest_content(session, manager, week, now).quiet)


def send_due_alerts(session, now, transport, sleep=time.sleep, queue=None):
    """Send same-day alerts for new high-severity signals; returns the count sent (or queued)."""
    expire_stale_claims(session, now)
    mail = MailOut(session, now, transport, sleep, queue)
    keys = _due_keys([alert_key(manager, signal) for manager, signal in alerts_due(session, now)])
    return sum(mail.send(key) in DONE for key in keys)
