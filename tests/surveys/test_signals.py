"""Detection in the service: signals are stored once per episode and updated, never duplicated."""
import datetime as dt

import pytest
from sqlalchemy import select

from surveys.errors import InvalidTransition
from surveys.history import import_history
from surveys.interventions import (
    UnknownIntervention, complete_intervention, intervention_effect, plan_intervention,
    start_intervention)
from surveys.models import PlanState, SignalState, StoredSignal
from surveys.rollup import panel_rows
from surveys.signals import acknowledge_signal, detect_and_store, open_signals
from tests.conftest import NOW

HEADER = "team,week,item_id,value\n"
CALM = [4, 4, 5, 3, 4, 4, 5, 4, 3, 4]
TENSE = [2, 3, 2, 2, 3, 2, 1, 2, 2, 3]
ITEM = "lq1_lead_criteria_agreed"


def history(weeks):
    """CSV lines: `growth` slides from week 13 on, `field` stays calm; each week has 10 answers."""
    text = HEADER
    for week in weeks:
        label = f"2026-W{week:02d}"
        growth = TENSE if week >= 13 else CALM
        text += "".join(f"growth,{label},{ITEM},{v}\n" for v in growth)
        text += "".join(f"field,{label},{ITEM},{v}\n" for v in CALM[::-1])
    return text


@pytest.fixture
def org(factory):
    return factory.people({"growth": ("marketing", 10), "field": ("sales", 10)})


def test_a_clear_decline_is_stored_once_with_evidence_and_interventions(session, org):
    import_history(session, history(range(1, 17)))
    report = detect_and_store(session, NOW, min_group=5)
    signals = open_signals(session)
    assert report.new >= 1 and signals
    signal = signals[0]
    assert signal.teams == ["growth"] and signal.metric == "lead_quality"
    assert signal.evidence and signal.interventions and signal.first_week >= "2026-W13"
    stored = len(session.scalars(select(StoredSignal)).all())
    again = detect_and_store(session, NOW, min_group=5)
    assert again.new == 0 and len(session.scalars(select(StoredSignal)).all()) == stored
    assert again.unchanged == len(signals) and f"{len(signals)} open unchanged" in str(again)


def test_a_continuing_signal_is_updated_not_duplicated(session, org):
    import_history(session, history(range(1, 15)))
    detect_and_store(session, NOW, min_group=5)
    first = {s.key: s.id for s in open_signals(session)}
    import_history(session, history(range(15, 17)))
    detect_and_store(session, NOW + dt.timedelta(weeks=2), min_group=5)
    assert first and {s.key: s.id for s in open_signals(session) if s.key in first} == first


def test_teams_below_the_minimum_never_produce_signals(session, factory):
    factory.people({"tiny": ("marketing", 4), "other": ("sales", 4)})
    text = HEADER + "".join(f"tiny,2026-W{w:02d},{ITEM},{1 if w > 8 else 5}\n"
                            for w in range(1, 13) for _ in range(4))
    import_history(session, text)
    assert detect_and_store(session, NOW, min_group=5).new == 0
    assert session.scalars(select(StoredSignal)).all() == []


def test_acknowledging_keeps_the_signal_until_the_data_resolves_it(session, org):
    import_history(session, history(range(1, 17)))
    detect_and_store(session, NOW, min_group=5)
    signal = open_signals(session)[0]
    acknowledge_signal(session, signal)
    assert signal.state == SignalState.ACKNOWLEDGED and signal in open_signals(session, ["growth"])
    assert all("field" in s.teams for s in open_signals(session, ["field"]))


def test_an_intervention_is_planned_started_and_completed_with_a_before_after(session, org):
    import_history(session, history(range(1, 17)))
    plan = plan_intervention(session, "ownership-map", ["growth"], "lead_quality", "Priya", "kick-off Monday",
                             dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc))
    with pytest.raises(InvalidTransition):
        complete_intervention(session, plan, NOW)
    start_intervention(session, plan, dt.datetime(2026, 3, 9, tzinfo=dt.timezone.utc))   # W11
    assert intervention_effect(plan, panel_rows(session, 5), 5) is None
    complete_intervention(session, plan, dt.datetime(2026, 3, 16, tzinfo=dt.timezone.utc))  # W12
    effect = intervention_effect(plan, panel_rows(session, 5), 5)
    assert plan.state == PlanState.COMPLETED and effect.status == "ok"
    assert effect.difference < 0 and effect.interval[0] < effect.difference < effect.interval[1]
    with pytest.raises(UnknownIntervention):
        plan_intervention(session, "no-such-thing", ["growth"], "lead_quality", "P", "", NOW)
