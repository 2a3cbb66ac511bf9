"""Sending each e-mail at most once: claim a ledger row, send, record what happened.

The claim happens in its own committed transaction before the SMTP conversation, so a rerun or a
second runner sees the claim and does not send again. If a sender dies after claiming, nobody can
know whether the server accepted the message; such a row becomes UNCONFIRMED and is never resent
(at-most-once: a reminder or next week's digest is a better remedy than a duplicate).
"""
import datetime as dt
import random
import time

from sqlalchemy import func, select

from surveys.db import immediate_transaction
from surveys.models import MailState, OutgoingMail

#: A claim older than this with no outcome means its sender died mid-send.
STALE_CLAIM = dt.timedelta(minutes=15)
#: Transient failures are retried with exponential backoff for at most this long.
RETRY_WINDOW = dt.timedelta(days=1)
#: First retry delay and the cap of later ones.
RETRY_BASE, RETRY_CAP = dt.timedelta(minutes=1), dt.timedelta(hours=2)
#: Quick retries inside one send, for a server that is briefly busy (seconds to sleep before each).
QUICK_RETRY_DELAYS = (0.2, 0.8)


class TransientMailError(Exception):
    """The server or network failed in a way worth retrying (4xx, refused, timeout)."""


class PermanentMailError(Exception):
    """The server refused the message for good (5xx)."""


def claim_mail(session, key, kind, recipient, now, subject=None):
    """Claim the right to send the e-mail `key`; None when it is sent, failed or someone else's.

    `subject`, when the message is already composed, is recorded with the claim.
    """
    with immediate_transaction(session):
        mail = session.scalar(select(OutgoingMail).where(OutgoingMail.dedup_key == key))
        if mail is None:
            mail = OutgoingMail(dedup_key=key, kind=kind, recipient=recipient,
                                first_claimed_at=now, claimed_at=now, attempts=1)
            session.add(mail)
        else:
            mail = _reclaim(mail, now)
        if mail is not None and subject is not None:
            mail.subject = subject
        return mail


def _reclaim(mail, now):
    if mail.state == MailState.RETRY and mail.next_attempt_at <= now:
        mail.state, mail.claimed_at, mail.attempts = MailState.SENDING, now, mail.attempts + 1
        return mail
    if mail.state == MailState.SENDING and now - mail.claimed_at > STALE_CLAIM:
        mail.state = MailState.UNCONFIRMED
    return None


def record_sent(session, mail, now):
    """Mark a claimed e-mail as sent."""
    with immediate_transaction(session):
        mail.state, mail.sent_at, mail.last_error = MailState.SENT, now, None


def record_failure(session, mail, error, now, transient, rng=random):
    """Record a failed send: schedule a retry with backoff and jitter, or give up."""
    with immediate_transaction(session):
        mail.last_error = str(error)[:500]
        retry_at = now + backoff_delay(mail.attempts, rng)
        if transient and retry_at < mail.first_claimed_at + RETRY_WINDOW:
            mail.state, mail.next_attempt_at = MailState.RETRY, retry_at
        else:
            mail.state, mail.next_attempt_at = MailState.FAILED, None


def backoff_delay(attempts, rng=random):
    """Exponential delay after `attempts` tries, capped, with ±50% jitter so retries spread out."""
    delay = min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)
    return delay * rng.uniform(0.5, 1.5)


def deliver(session, key, kind, recipient, compose, transport, now, sleep=time.sleep,
            mints=True):
    """Send one e-mail at most once; returns the final MailState, or None if not ours to send.

    `compose(mail)` builds the EmailMessage; `transport.send(message)` raises
    Transient/PermanentMailError. A composer that `mints` something it stores (a link token)
    runs after the claim, inside a write transaction, so tokens are minted only for e-mails that
    will really go out. One that only reads (`mints=False`: digests, alerts) runs first, outside
    any write transaction, and is called with None: rendering its templates then holds no write
    lock (on SQLite the database's only one, which survey submissions wait for), and the claim
    records its subject, so the e-mail costs two short write transactions instead of three.
    """
    message = None if mints else compose(None)
    mail = claim_mail(session, key, kind, recipient, now,
                      subject=None if message is None else _subject(message))
    if mail is None:
        return None
    if message is None:
        # Whatever compose mints (a link token) is committed before the message can exist outside.
        with immediate_transaction(session):
            message = compose(mail)
            mail.subject = _subject(message)
    try:
        _send_with_quick_retries(transport, message, sleep)
    except TransientMailError as error:
        record_failure(session, mail, error, now, transient=True)
    except PermanentMailError as error:
        record_failure(session, mail, error, now, transient=False)
    else:
        record_sent(session, mail, now)
    return mail.state


def _subject(message):
    return str(message["Subject"] or "")[:200]


def _send_with_quick_retries(transport, message, sleep):
    for delay in QUICK_RETRY_DELAYS:
        try:
            return transport.send(message)
        except TransientMailError:
            sleep(delay)
    return transport.send(message)


def expire_stale_claims(session, now):
    """Mark claims whose sender died mid-send as UNCONFIRMED (never resent, shown to admins)."""
    with immediate_transaction(session):
        stale = session.scalars(select(OutgoingMail).where(
            OutgoingMail.state == MailState.SENDING,
            OutgoingMail.claimed_at < now - STALE_CLAIM)).all()
        for mail in stale:
            mail.state = MailState.UNCONFIRMED
    return len(stale)


def keys_to_send(session, keys, now):
    """Those of `keys` with no ledger row yet, or whose retry is due."""
    keys = list(keys)
    rows = session.execute(select(OutgoingMail.dedup_key, OutgoingMail.state,
                                  OutgoingMail.next_attempt_at)
                           .where(OutgoingMail.dedup_key.in_(keys)))
    blocked = {key for key, state, retry_at in rows
               if not (state == MailState.RETRY and retry_at <= now)}
    return [key for key in keys if key not in blocked]


#: Kinds whose recipients reveal who has or has not answered a survey: shown only as counts.
SURVEY_MAIL_KINDS = ("invitation", "reminder")


def mail_counts(session):
    """(kind, state, count) for every e-mail Tandem decided to send."""
    query = (select(OutgoingMail.kind, OutgoingMail.state, func.count())
             .group_by(OutgoingMail.kind, OutgoingMail.state).order_by(OutgoingMail.kind))
    return [(kind, state.value, count) for kind, state, count in session.execute(query)]


def recent_named_mail(session, limit=100):
    """Latest e-mails other than survey invitations and reminders, with their recipients."""
    return session.scalars(select(OutgoingMail).where(
        OutgoingMail.kind.not_in(SURVEY_MAIL_KINDS))
        .order_by(OutgoingMail.claimed_at.desc()).limit(limit)).all()
