"""Any e-mail of the ledger rebuilt from its key alone, so a task queue carries nothing but keys.

A key names what to send (`invitation:12`, `digest:3:2026-W14`, …). Sending it looks the thing up
again and checks it is still wanted *now*: between a job choosing an e-mail and a worker sending
it, a person may have answered, left or switched the e-mail off. The claim ledger
(`surveys.outgoing.deliver`) then makes sure each key goes out at most once, however many times
it is asked for.
"""
import time

from flask import current_app

from app.mail.digests import alert_message, digest_message
from app.mail.messages import invitation_message
from app.messages.mail import consent_invitation_message
from surveys.digests import digest_content
from surveys.errors import MessagesDisabled
from surveys.invitations import mint_token
from surveys.messages.switch import enabled_switch
from surveys.models import Invitation, Manager, Member, RoundState, StoredSignal
from surveys.outgoing import deliver


class UnknownMailKey(ValueError):
    """A key no sender knows: a bug or a hand-made task, never worth retrying."""


def send_by_key(session, key, now, transport, sleep=time.sleep):
    """Send the e-mail `key` names if it is still wanted; its final MailState, or None if not sent."""
    kind, _, rest = key.partition(":")
    sender = SENDERS.get(kind)
    if sender is None or not rest:
        raise UnknownMailKey(f"no e-mail kind for key {key!r}")
    try:
        return sender(session, key, rest.split(":"), now, transport, sleep)
    except ValueError:  # a malformed id part (int("x")) is a bad key, not a failed send
        raise UnknownMailKey(f"malformed e-mail key {key!r}") from None


def _invitation(session, key, parts, now, transport, sleep):
    invitation = session.get(Invitation, int(parts[0]))
    if not _link_still_wanted(invitation, now):
        return None
    return _deliver_link(session, key, invitation, None, now, transport, sleep)


def _reminder(session, key, parts, now, transport, sleep):
    invitation_id, reminder_kind = parts
    invitation = session.get(Invitation, int(invitation_id))
    if not _link_still_wanted(invitation, now) or invitation.member.reminders_off:
        return None
    return _deliver_link(session, key, invitation, reminder_kind, now, transport, sleep)


def _link_still_wanted(invitation, now):
    """An unanswered invitation of an active member in a round that is still open."""
    return (invitation is not None and not invitation.used and invitation.member.active
            and invitation.survey_round.state == RoundState.OPEN
            and now < invitation.survey_round.closes_at)


def _deliver_link(session, key, invitation, reminder_kind, now, transport, sleep):
    def compose(_mail):
        # The token is minted only once the claim is ours: an unsent e-mail leaves no live link.
        token = mint_token(session, invitation)
        return invitation_message(invitation.member, invitation.survey_round, token, reminder_kind)

    kind = "reminder" if reminder_kind else "invitation"
    return deliver(session, key, kind, invitation.member.email, compose, transport, now, sleep)


def _digest(session, key, parts, now, transport, sleep):
    manager_id, week = parts
    manager = session.get(Manager, int(manager_id))
    if manager is None or not (manager.active and manager.digest_enabled):
        return None
    content = digest_content(session, manager, week, now)
    if content.quiet and not manager.quiet_week_emails:
        return None
    return deliver(session, key, "digest", manager.email,
                   lambda _mail: digest_message(manager, content), transport, now, sleep,
                   mints=False)


def _alert(session, key, parts, now, transport, sleep):
    manager_id, signal_id = parts
    manager = session.get(Manager, int(manager_id))
    signal = session.get(StoredSignal, int(signal_id))
    if manager is None or signal is None or not (manager.active and manager.same_day_alerts):
        return None
    return deliver(session, key, "alert", manager.email,
                   lambda _mail: alert_message(manager, signal), transport, now, sleep,
                   mints=False)


def _consent_invite(session, key, parts, now, transport, sleep):
    member_id, notice = parts
    member = session.get(Member, int(member_id))
    try:
        current_notice = enabled_switch(session).notice_version
    except MessagesDisabled:
        return None  # switched off since the key was chosen: nobody should be asked now
    if member is None or not member.active or current_notice != notice:
        return None
    min_people = current_app.config["MESSAGE_MIN_CONTRIBUTORS"]
    return deliver(session, key, "consent-invite", member.email,
                   lambda _mail: consent_invitation_message(member, min_people),
                   transport, now, sleep)


#: Ledger key prefix → the function that sends that kind of e-mail.
SENDERS = {
    "invitation": _invitation,
    "reminder": _reminder,
    "digest": _digest,
    "alert": _alert,
    "consent-invite": _consent_invite,
}


#: What `MailOut.send` answers for an e-mail handed to the task queue instead of sent here.
QUEUED = "queued"


class MailOut:
    """Where a job's due e-mails go: sent here and now, or, given `queue`, handed over by key."""

    def __init__(self, session, now, transport, sleep=time.sleep, queue=None):
        self.session, self.now, self.transport, self.sleep = session, now, transport, sleep
        #: `queue(key)` hands one e-mail to the workers; None sends in this process, as before.
        self.queue = queue

    def send(self, key):
        """Send (or queue) the e-mail `key`; a MailState, None when not ours to send, or QUEUED."""
        if self.queue is not None:
            self.queue(key)
            return QUEUED
        return send_by_key(self.session, key, self.now, self.transport, self.sleep)
