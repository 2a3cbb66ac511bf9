"""Round timing and the draft → open → closed lifecycle."""
import datetime as dt

import pytest
from sqlalchemy import select

from surveys.errors import InvalidTransition
from surveys.models import RoundState, Schedule, SurveyRound
from surveys.rounds import (
    close_finished_rounds, close_round, current_round_number, iso_week, open_due_rounds, open_round,
    round_window)
from tests.conftest import NOW

UTC = dt.timezone.utc


def test_weekly_rounds_open_on_schedule_in_the_team_zone(session, factory):
    teams = factory.people({"growth": ("marketing", 5)})
    factory.schedule(teams.values(), timezone="America/New_York")
    schedule = session.scalar(select(Schedule))
    opens_at, closes_at = round_window(schedule, 2)
    assert opens_at == dt.datetime(2026, 4, 13, 13, 0, tzinfo=UTC)  # 09:00 New York (EDT)
    assert closes_at - opens_at == dt.timedelta(days=5)


@pytest.mark.parametrize("cadence, number, day", [
    ("weekly", 3, dt.date(2026, 4, 20)), ("fortnightly", 2, dt.date(2026, 4, 27)),
    ("monthly", 2, dt.date(2026, 5, 30))])
def test_round_window_follows_the_cadence(session, factory, cadence, number, day):
    teams = factory.people({"growth": ("marketing", 5)})
    factory.schedule(teams.values(), cadence=cadence)
    opens_at, _ = round_window(session.scalar(select(Schedule)), number)
    assert opens_at.date() == day


def test_current_round_number_is_none_between_rounds(session, factory):
    teams = factory.people({"growth": ("marketing", 5)})
    factory.schedule(teams.values())
    schedule = session.scalar(select(Schedule))
    assert current_round_number(schedule, NOW) == 0  # Wednesday of the first week
    assert current_round_number(schedule, dt.datetime(2026, 4, 5, tzinfo=UTC)) is None  # Sunday
    assert current_round_number(schedule, dt.datetime(2026, 3, 1, tzinfo=UTC)) is None


def test_open_due_rounds_opens_each_round_once_with_3_to_8_items(session, factory):
    teams = factory.people({"growth": ("marketing", 5), "field": ("sales", 5)})
    factory.schedule(teams.values())
    first = open_due_rounds(session, NOW)
    session.commit()
    assert len(first) == 2 and open_due_rounds(session, NOW) == []
    for survey_round in first:
        assert survey_round.state == RoundState.OPEN and 3 <= len(survey_round.item_ids) <= 8
        assert survey_round.week == iso_week(dt.date(2026, 3, 30)) == "2026-W14"


def test_paired_item_is_the_same_for_marketing_and_sales_in_the_same_round(session, factory):
    teams = factory.people({"growth": ("marketing", 5), "field": ("sales", 5)})
    factory.schedule(teams.values())
    rounds = open_due_rounds(session, NOW)
    pairs = [{i for i in r.item_ids if i.startswith("pair_")} for r in rounds]
    assert pairs[0] == pairs[1] and len(pairs[0]) == 1


def test_close_finished_rounds_closes_only_rounds_that_are_over(session, factory):
    teams = factory.people({"growth": ("marketing", 5)})
    [survey_round] = factory.open_round(teams.values(), NOW)
    assert close_finished_rounds(session, NOW) == []
    closed = close_finished_rounds(session, survey_round.closes_at)
    assert closed == [survey_round] and survey_round.state == RoundState.CLOSED


def test_round_transitions_are_guarded(session, factory):
    teams = factory.people({"growth": ("marketing", 5)})
    [survey_round] = factory.open_round(teams.values(), NOW)
    with pytest.raises(InvalidTransition):
        open_round(survey_round, NOW)
    with pytest.raises(InvalidTransition, match="still within its window"):
        close_round(survey_round, NOW)
    close_round(survey_round, survey_round.closes_at)
    with pytest.raises(InvalidTransition):
        close_round(survey_round, survey_round.closes_at)
    draft = SurveyRound(state=RoundState.DRAFT, opens_at=NOW, closes_at=NOW + dt.timedelta(days=1))
    with pytest.raises(InvalidTransition, match="outside its window"):
        open_round(draft, NOW - dt.timedelta(hours=1))
