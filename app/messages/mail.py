"""E-mailing every active member their personal consent link, once per notice version."""
import time

from app.mail.messages import build_message
from app.messages.links import consent_url
from surveys.messages.switch import enabled_switch
from surveys.models import MailState
from surveys.outgoing import deliver, keys_to_send
from surveys.people import active_members


def consent_invitation_key(member, switch):
    """The mail ledger key: one invitation per member and notice version."""
    return f"consent-invite:{member.id}:{switch.notice_version}"


def consent_invitation_message(member, min_people):
    """The e-mail that asks one member whether they would share message samples."""
    return build_message(member.email, "Would you share samples of your work messages?",
                         "consent_invite", member=member, link=consent_url(member.id),
                         min_people=min_people)


def send_consent_invitations(session, now, transport, min_people, sleep=time.sleep, queue=None):
    """E-mail each active member their consent link (at most once per notice); returns the count.

    Given `queue`, the links not yet sent are handed to it by ledger key instead, and the count
    is of those queued (a worker sends them through `app.mail.by_key`).
    """
    switch = enabled_switch(session)
    by_key = {consent_invitation_key(member, switch): member for member in active_members(session)}
    if queue is not None:
        due = keys_to_send(session, by_key, now)
        for key in due:
            queue(key)
        return len(due)
    sent = 0
    for key, member in by_key.items():
        state = deliver(session, key, "consent-invite", member.email,
                        lambda _mail, member=member: consent_invitation_message(member, min_people),
                        transport, now, sleep)
        sent += state == MailState.SENT
    return sent
