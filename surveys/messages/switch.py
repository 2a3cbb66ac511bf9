"""The message-sampling switch: off until an admin records a DPIA reference and a notice."""
import hashlib

from sqlalchemy import select

from surveys.db import immediate_transaction
from surveys.errors import MessagesDisabled, TandemError
from surveys.models import MessageSwitch

#: Longest notice accepted (it is shown on a phone; a long legal text belongs behind a link).
MAX_NOTICE = 20_000


def notice_version(text):
    """The version of a notice: SHA-256 of its text, so any edit is a new version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def current_switch(session):
    """The switch row in force, or None when sampling was never switched on."""
    return session.scalar(select(MessageSwitch).order_by(MessageSwitch.id.desc()).limit(1))


def enabled_switch(session):
    """The switch in force if sampling is on; MessagesDisabled otherwise."""
    switch = current_switch(session)
    if switch is None or not switch.enabled:
        raise MessagesDisabled("message sampling is switched off; an admin must switch it on")
    return switch


def enable_sampling(session, dpia_ref, notice_text, changed_by, now):
    """Switch sampling on with a DPIA reference and the notice employees will see."""
    dpia_ref = (dpia_ref or "").strip()
    notice_text = (notice_text or "").replace("\r\n", "\n").strip()  # browsers send CRLF
    if not dpia_ref or len(dpia_ref) > 200:
        raise TandemError("give the data-protection assessment reference (up to 200 characters)")
    if not notice_text or len(notice_text) > MAX_NOTICE:
        raise TandemError(f"give the notice text employees will read (up to {MAX_NOTICE} characters)")
    return _record(session, True, dpia_ref, notice_text, changed_by, now)


def disable_sampling(session, changed_by, now):
    """Switch sampling off: imports stop; consent records and stored scores stay."""
    switch = current_switch(session)
    if switch is None or not switch.enabled:
        return switch
    return _record(session, False, switch.dpia_ref, switch.notice_text, changed_by, now)


def _record(session, enabled, dpia_ref, notice_text, changed_by, now):
    row = MessageSwitch(at=now, enabled=enabled, dpia_ref=dpia_ref, notice_text=notice_text,
                        notice_version=notice_version(notice_text), changed_by=changed_by[:254])
    with immediate_transaction(session):
        session.add(row)
    return row
