"""E-mailing every active member their personal consent link, once per notice version."""
import time

from app.mail.messages import build_message
from app.messages.links import consent_url
from surveys.messages.switch import enabled_switch
from surveys.models import MailState
from surveys.outgoing import deliver
from surveys.people import active_members


def consent_invitation_key(member, switch):
    """The mail ledger key: one invitation per member and notice version."""
    return f"consent-invite:{member.id}:{switch.notice_version}"


def send_consent_invitations(session, now, transport, min_people, sleep=time.sleep):
    """E-mail each active member their consent link (at most once per notice); returns the count."""
    switch = enabled_switch(session)
    sent = 0
    for member in active_members(session):
        def compose(_mail, member=member):
            return build_message(member.email, "Would you share samples of your work messages?",
                                 "consent_invite", member=member, link=consent_url(member.id),
                                 min_people=min_people)
        state = deliver(session, consent_invitation_key(member, switch), "consent-invite",
                        member.email, compose, transport, now, sleep)
        sent += state == MailState.SENT
    return sent
