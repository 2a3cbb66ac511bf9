"""Importing answers from another tool: every bad line reported, all or nothing, no doubles."""
import pytest
from sqlalchemy import func, select

from surveys.errors import ImportRowError
from surveys.history import import_history
from surveys.models import Response, SurveyRound
from surveys.rollup import panel_rows

HEADER = "team,week,item_id,value,comment\n"


@pytest.fixture
def teams(factory):
    return factory.people({"growth": ("marketing", 5), "field": ("sales", 5)})


def lines(team, week, item, values, comment=""):
    return "".join(f"{team},{week},{item},{v},{comment}\n" for v in values)


def test_history_import_creates_closed_rounds_that_feed_the_panel(session, teams):
    text = HEADER + lines("growth", "2026-W10", "lq1_lead_criteria_agreed", [4, 4, 5, 3, 4]) + \
        lines("growth", "2026-W10", "enps_recommend_team", [9, 10, 7, 3, 9])
    assert import_history(session, text) == 10
    survey_round = session.scalar(select(SurveyRound))
    assert survey_round.state.value == "closed" and survey_round.number is None
    rows = {r.metric: r for r in panel_rows(session, min_group=5)}
    assert rows["lead_quality"].mean == 4.0 and rows["lead_quality"].n == 5
    assert rows["enps"].mean == 40.0 and "participation" not in rows


def test_history_import_reports_every_bad_line_and_writes_nothing(session, teams):
    text = HEADER + ("growth,2026-W10,lq1_lead_criteria_agreed,4,\n"
                     "nowhere,2026-W10,lq1_lead_criteria_agreed,4,\n"
                     "growth,2026-W60,lq1_lead_criteria_agreed,4,\n"
                     "growth,2026-W10,made_up,4,\n"
                     "growth,2026-W10,lq1_lead_criteria_agreed,9,\n"
                     "growth,2026-W10,enps_recommend_team,11,\n"
                     "growth,2026-W10,lq1_lead_criteria_agreed,4,a NUL\x00 in a comment\n")
    with pytest.raises(ImportRowError) as caught:
        import_history(session, text)
    assert [line for line, _ in caught.value.problems] == [3, 4, 5, 6, 7, 8]
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_importing_the_same_week_twice_is_refused(session, teams):
    text = HEADER + lines("growth", "2026-W10", "lq1_lead_criteria_agreed", [4, 4, 5, 3, 4])
    import_history(session, text)
    with pytest.raises(ImportRowError, match="already has answers for 2026-W10"):
        import_history(session, text)
    assert session.scalar(select(func.count()).select_from(Response)) == 5
