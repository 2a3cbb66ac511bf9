"""When reminders go out: halfway through a round and a day before it closes, on working days."""
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from surveys.models import Invitation, Member
from surveys.outgoing import keys_to_send
from surveys.rounds import open_rounds

#: Reminders are moved into local working hours on a weekday.
WORKDAY_START, WORKDAY_END = dt.time(9), dt.time(17)
#: Saturday and Sunday (Python's weekday numbers).
WEEKEND = {5, 6}


def next_working_moment(local):
    """`local` if it is inside working hours on a weekday, else the next 09:00 on a weekday."""
    if local.weekday() not in WEEKEND and WORKDAY_START <= local.time() < WORKDAY_END:
        return local
    day = local.date() if local.time() < WORKDAY_START else local.date() + dt.timedelta(days=1)
    while day.weekday() in WEEKEND:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, WORKDAY_START, tzinfo=local.tzinfo)


def previous_working_moment(local):
    """`local` if inside working hours on a weekday, else the latest earlier working-hours time."""
    if local.weekday() not in WEEKEND and WORKDAY_START <= local.time() < WORKDAY_END:
        return local
    day = local.date() if local.time() >= WORKDAY_END else local.date() - dt.timedelta(days=1)
    while day.weekday() in WEEKEND:
        day -= dt.timedelta(days=1)
    return dt.datetime.combine(day, WORKDAY_END, tzinfo=local.tzinfo) - dt.timedelta(minutes=30)


def reminder_times(survey_round):
    """{"halfway": t, "last-day": t} in UTC, on working time, dropped if outside the round."""
    zone = ZoneInfo(survey_round.team.timezone)
    opens, closes = survey_round.opens_at, survey_round.closes_at
    halfway = next_working_moment((opens + (closes - opens) / 2).astimezone(zone))
    last_day = previous_working_moment((closes - dt.timedelta(days=1)).astimezone(zone))
    times = {"halfway": halfway, "last-day": last_day}
    return {kind: t.astimezone(dt.timezone.utc) for kind, t in times.items()
            if opens < t < closes - dt.timedelta(hours=1)}


def reminder_key(invitation_id, kind):
    """The mail-ledger key of a reminder, so each is sent at most once."""
    return f"reminder:{invitation_id}:{kind}"


def reminders_due(session, now):
    """(invitation, kind) pairs whose reminder is due at `now` and not yet sent.

    If several reminders of a round are due at once (the job did not run for a while), only the
    latest goes out: one nudge is enough.
    """
    due = []
    for survey_round in open_rounds(session):
        passed = [kind for kind, t in sorted(reminder_times(survey_round).items(),
                                            key=lambda pair: pair[1]) if t <= now]
        if passed:
            due += _unanswered_without(session, survey_round, passed[-1], now)
    return due


def _unanswered_without(session, survey_round, kind, now):
    invitations = session.scalars(select(Invitation).join(Member).where(
        Invitation.round_id == survey_round.id, Invitation.used.is_(False),
        Member.active, Member.reminders_off.is_(False)).order_by(Invitation.id))
    by_key = {reminder_key(inv.id, kind): inv for inv in invitations}
    return [(by_key[key], kind) for key in keys_to_send(session, by_key, now)]
