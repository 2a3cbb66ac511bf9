"""What a manager's weekly digest and same-day alerts say, and when they are due."""
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import select

from surveys.accounts import visible_teams
from surveys.models import InterventionPlan, Manager, PlanState, SignalState, StoredSignal
from surveys.outgoing import keys_to_send
from surveys.rollup import stored_panel_rows
from surveys.rounds import iso_week

#: A digest covers what changed in the seven days before it is sent.
DIGEST_WINDOW = dt.timedelta(days=7)
#: A same-day alert covers high-severity signals that appeared or escalated in the last day.
ALERT_WINDOW = dt.timedelta(days=1)


@dataclass
class DigestContent:
    """Everything one digest reports, already limited to the manager's teams."""

    week: str
    new: list = field(default_factory=list)
    escalating: list = field(default_factory=list)
    easing: list = field(default_factory=list)
    resolved: list = field(default_factory=list)
    #: (team name, participation row) for teams whose latest week is visible.
    participation: list = field(default_factory=list)
    #: Interventions planned or running, and those completed this week.
    plans: list = field(default_factory=list)

    @property
    def quiet(self):
        """Nothing changed on the manager's teams this week."""
        return not (self.new or self.escalating or self.easing or self.resolved)


def digest_key(manager, week):
    """Ledger key: one digest per manager per ISO week."""
    return f"digest:{manager.id}:{week}"


def alert_key(manager, signal):
    """Ledger key: one same-day alert per manager per signal."""
    return f"alert:{manager.id}:{signal.id}"


def digest_week_if_due(manager, now):
    """The ISO week whose digest is due for `manager` at `now`, or None before its day and hour."""
    local = now.astimezone(ZoneInfo(manager.timezone))
    monday = local.date() - dt.timedelta(days=local.weekday())
    send_day = monday + dt.timedelta(days=manager.digest_weekday)
    due = dt.datetime.combine(send_day, dt.time(manager.digest_hour), tzinfo=local.tzinfo)
    return iso_week(local.date()) if local >= due else None


def managers_due_digest(session, now):
    """(manager, week) pairs whose digest is due and not yet claimed."""
    candidates = {}
    for manager in session.scalars(select(Manager).where(Manager.active, Manager.digest_enabled)):
        week = digest_week_if_due(manager, now)
        if week:
            candidates[digest_key(manager, week)] = (manager, week)
    return [candidates[key] for key in keys_to_send(session, candidates, now)]


def digest_content(session, manager, week, now):
    """The digest for `manager`: signal changes on their teams in the last week, and follow-up."""
    teams = visible_teams(session, manager)
    slugs = {t.slug for t in teams}
    content = DigestContent(week=week)
    for signal in _changed_signals(session, slugs, now - DIGEST_WINDOW):
        _file_signal(content, signal, now - DIGEST_WINDOW)
    content.participation = _latest_participation(session, teams)
    content.plans = _plans(session, slugs, iso_week(now.date()))
    return content


def _changed_signals(session, slugs, since):
    signals = session.scalars(select(StoredSignal).where(StoredSignal.changed_at > since))
    return [s for s in signals if set(s.teams) & slugs]


def _file_signal(content, signal, since):
    if signal.state == SignalState.RESOLVED:
        content.resolved.append(signal)
    elif signal.first_seen_at > since:
        content.new.append(signal)
    elif signal.trend in ("escalating", "easing"):
        getattr(content, signal.trend).append(signal)


def _latest_participation(session, teams):
    rows = stored_panel_rows(session, teams=[t.slug for t in teams], metrics=["participation"])
    latest = {row.team: row for row in rows}  # rows come oldest week first
    return [(t.name, latest[t.slug]) for t in teams if t.slug in latest]


def _plans(session, slugs, this_week):
    """Interventions still planned or running, and those completed this week."""
    plans = session.scalars(select(InterventionPlan).order_by(InterventionPlan.planned_at))
    return [p for p in plans if set(p.teams) & slugs
            and (p.state != PlanState.COMPLETED or p.completed_week == this_week)]


def alerts_due(session, now):
    """(manager, signal) pairs for new or escalated high-severity signals not yet alerted."""
    recent = session.scalars(select(StoredSignal).where(
        StoredSignal.severity == "high", StoredSignal.state == SignalState.OPEN,
        StoredSignal.changed_at > now - ALERT_WINDOW)).all()
    candidates = {}
    for manager in session.scalars(select(Manager).where(Manager.active, Manager.same_day_alerts)):
        slugs = {t.slug for t in visible_teams(session, manager)}
        for signal in recent:
            if set(signal.teams) & slugs:
                candidates[alert_key(manager, signal)] = (manager, signal)
    return [candidates[key] for key in keys_to_send(session, candidates, now)]
