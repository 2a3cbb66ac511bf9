"""Consent to message sampling: append-only records, the consent in force, and withdrawal.

A member's newest record decides. It counts only while it grants the notice version now in force,
so a changed notice needs a fresh opt-in. Withdrawing deletes the member's stored samples in the
same transaction that records the withdrawal.
"""
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from surveys.db import immediate_transaction
from surveys.errors import TandemError
from surveys.messages.records import SOURCES
from surveys.messages.switch import current_switch, enabled_switch
from surveys.models import Member, MessageConsent, MessageSample

GRANT, WITHDRAW = "grant", "withdraw"


@dataclass(frozen=True)
class ConsentStatus:
    """Where one member stands: sharing or not, for which sources, under which notice."""

    sharing: bool
    scope: tuple
    notice_version: str | None


def _latest_per_member():
    """A subquery of each member's newest consent record id."""
    return (select(func.max(MessageConsent.id).label("id"))
            .group_by(MessageConsent.member_id).subquery())


def consent_status(session, member):
    """The member's consent in force (not sharing when the notice has changed since)."""
    switch = current_switch(session)
    record = session.scalar(select(MessageConsent).where(MessageConsent.member_id == member.id)
                            .order_by(MessageConsent.id.desc()).limit(1))
    if (record is None or record.action != GRANT or switch is None or not switch.enabled
            or record.notice_version != switch.notice_version):
        return ConsentStatus(False, (), record.notice_version if record else None)
    return ConsentStatus(True, tuple(record.scope), record.notice_version)


def grant_consent(session, member, scope, now):
    """Record an opt-in for the sources in `scope` under the notice in force."""
    scope = sorted(set(scope))
    if not scope or not set(scope) <= set(SOURCES):
        raise TandemError(f"choose at least one of: {', '.join(SOURCES)}")
    if not member.active:
        raise TandemError("only active members can opt in")
    with immediate_transaction(session):
        switch = enabled_switch(session)
        session.add(MessageConsent(member_id=member.id, at=now, scope=scope, action=GRANT,
                                   notice_version=switch.notice_version))


def withdraw_consent(session, member, now):
    """Record an opt-out and delete the member's stored samples, at once; returns how many."""
    with immediate_transaction(session):
        version = session.scalar(select(MessageConsent.notice_version)
                                 .where(MessageConsent.member_id == member.id)
                                 .order_by(MessageConsent.id.desc()).limit(1))
        session.add(MessageConsent(member_id=member.id, at=now, scope=list(SOURCES),
                                   action=WITHDRAW, notice_version=version or ""))
        deleted = session.execute(delete(MessageSample).where(
            MessageSample.member_id == member.id)).rowcount
    return deleted


def consenting_authors(session, source, notice_version):
    """{e-mail: (member id, team id)} of active members sharing `source` under this notice.

    On PostgreSQL the member rows are share-locked, so a withdrawal waits for the import that
    read them; on SQLite the import's write lock does the same.
    """
    latest = _latest_per_member()
    query = (select(Member.email, Member.id, Member.team_id, MessageConsent.scope)
             .join(MessageConsent, MessageConsent.member_id == Member.id)
             .join(latest, latest.c.id == MessageConsent.id)
             .where(Member.active, MessageConsent.action == GRANT,
                    MessageConsent.notice_version == notice_version)
             .with_for_update(read=True, of=Member))
    return {email: (member_id, team_id) for email, member_id, team_id, scope in session.execute(query)
            if source in scope}


def opted_in_members(session, notice_version, team_id=None):
    """How many active members share any source under this notice (a count, never who)."""
    latest = _latest_per_member()
    query = (select(func.count()).select_from(Member)
             .join(MessageConsent, MessageConsent.member_id == Member.id)
             .join(latest, latest.c.id == MessageConsent.id)
             .where(Member.active, MessageConsent.action == GRANT,
                    MessageConsent.notice_version == notice_version))
    if team_id is not None:
        query = query.where(Member.team_id == team_id)
    return session.scalar(query)


def shown_count(count, minimum):
    """The count itself at or above `minimum`, else None (a manager sees nothing smaller)."""
    return count if count >= minimum else None
