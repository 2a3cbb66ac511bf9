"""Planning, starting and completing interventions, and whether the targeted metric moved."""
from zoneinfo import ZoneInfo

from sqlalchemy import select

from analysis.interventions.catalogue import shipped_catalogue
from analysis.interventions.effect import before_after_effect
from analysis.interventions.ranking import rank_interventions
from surveys.db import immediate_transaction
from surveys.errors import InvalidTransition, TandemError
from surveys.models import InterventionPlan, PlanState
from surveys.rounds import iso_week

MAX_NOTE_LENGTH = 2000


class UnknownIntervention(TandemError):
    """The intervention id is not in the catalogue."""


def catalogue_by_id():
    """The intervention catalogue keyed by id."""
    return {item.id: item for item in shipped_catalogue()}


def ranked_for(signal):
    """Catalogue interventions that answer a stored signal, best first, with the reason for each."""
    payload = {"kind": signal.kind, "metric": signal.metric, "severity": signal.severity,
               "evidence": signal.evidence}
    return rank_interventions(payload, shipped_catalogue())


def plan_intervention(session, intervention_id, teams, metric, owner, note, now,
                      signal=None, manager=None):
    """Record a planned intervention for `teams` (slugs), targeting `metric`.

    Planning what is already planned or under way for the same teams and signal returns that
    plan instead of adding a second one (a double click, a resent form).
    """
    if intervention_id not in catalogue_by_id():
        raise UnknownIntervention(f"no intervention called {intervention_id!r}")
    if not owner.strip() or len(owner) > 200 or len(note) > MAX_NOTE_LENGTH:
        raise TandemError("an owner (up to 200 characters) is required; notes up to 2000")
    plan = InterventionPlan(intervention_id=intervention_id, teams=sorted(teams), metric=metric,
                            owner=owner.strip(), note=note.strip(), planned_at=now,
                            signal_id=signal.id if signal else None,
                            created_by=manager.id if manager else None)
    with immediate_transaction(session):
        existing = _open_plan(session, plan)
        if existing is not None:
            return existing
        session.add(plan)
    return plan


def _open_plan(session, plan):
    """A planned or started plan of the same intervention, teams, metric and signal, or None."""
    query = select(InterventionPlan).where(
        InterventionPlan.intervention_id == plan.intervention_id,
        InterventionPlan.metric == plan.metric,
        InterventionPlan.state.in_([PlanState.PLANNED, PlanState.STARTED]),
        InterventionPlan.signal_id.is_(None) if plan.signal_id is None
        else InterventionPlan.signal_id == plan.signal_id)
    return next((row for row in session.scalars(query) if sorted(row.teams) == plan.teams), None)


def start_intervention(session, plan, now):
    """planned → started, in the current ISO week."""
    _move(session, plan, PlanState.PLANNED, PlanState.STARTED, now)


def complete_intervention(session, plan, now):
    """started → completed, in the current ISO week."""
    _move(session, plan, PlanState.STARTED, PlanState.COMPLETED, now)


def _move(session, plan, expected, target, now):
    if plan.state != expected:
        raise InvalidTransition(f"this intervention is {plan.state.value}, not {expected.value}")
    week = iso_week(now.astimezone(ZoneInfo("UTC")).date())
    with immediate_transaction(session):
        plan.state = target
        if target == PlanState.STARTED:
            plan.started_week = week
        else:
            plan.completed_week = week


def intervention_effect(plan, rows, min_group):
    """Before/after of the plan's metric over its teams' panel rows (None until completed)."""
    if plan.state != PlanState.COMPLETED:
        return None
    relevant = [r for r in rows if r.team in plan.teams and r.metric == plan.metric]
    return before_after_effect(relevant, plan.started_week, plan.completed_week,
                               min_group=min_group)


def plans_for_signal(session, signal_id):
    """Interventions planned against a signal, oldest first."""
    return session.scalars(select(InterventionPlan).where(
        InterventionPlan.signal_id == signal_id).order_by(InterventionPlan.planned_at)).all()
