"""The team-week panel: one row per team, week and metric, and nothing below the group minimum."""
import pytest
from sqlalchemy import select

from analysis.signals.panel import PanelRow
from surveys.db import immediate_transaction
from surveys.models import Invitation, PanelCell, RoundState
from surveys.responses import Submission, submit_response
from surveys.rollup import (PARAMETERS_PER_INSERT, _bulk_insert, _insert_many_per_statement,
                            panel_rows, refresh_panel, stored_panel_rows, week_fingerprints)
from surveys.rounds import close_finished_rounds
from tests.conftest import NOW

SCORES = {"sentiment": {"compound": -0.5}, "tension": 0.7, "friction": [{"category": "blame"}]}


def close_all(session, rounds):
    close_finished_rounds(session, max(r.closes_at for r in rounds.values()))
    session.commit()


def answer(session, survey_round, count, value=4, enps=9, comment=None):
    invitations = session.scalars(select(Invitation).where(
        Invitation.round_id == survey_round.id, Invitation.used.is_(False))).all()[:count]
    for invitation in invitations:
        submit_response(session, invitation.id,
                        Submission(dict.fromkeys(survey_round.item_ids, value), enps, comment),
                        NOW, score_comment=lambda _text: SCORES)


@pytest.fixture
def rounds(factory):
    teams = factory.people({"big": ("marketing", 8), "small": ("sales", 6)})
    return {r.team.slug: r for r in factory.open_round(teams.values(), NOW)}


def test_panel_rows_cover_drivers_pairs_enps_participation_and_comments(session, rounds):
    answer(session, rounds["big"], 6, value=2, enps=10, comment="why didn't you follow up")
    close_all(session, rounds)
    rows = {r.metric: r for r in panel_rows(session, min_group=5) if r.team == "big"}
    assert rows["participation"].mean == 0.75 and (rows["participation"].n, rows["participation"].invited) == (6, 8)
    assert rows["enps"].mean == 100.0 and rows["comment_sentiment"].mean == -0.5
    assert rows["friction:blame"].mean == 1.0 and rows["friction:hostility"].mean == 0.0
    pair = next(m for m in rows if m.startswith("pair:"))
    drivers = [m for m in rows if m in {"lead_quality", "role_clarity", "workload"}]
    assert rows[pair].mean == 2.0 and drivers and all(rows[m].n == 6 for m in drivers)
    assert {r.week for r in rows.values()} == {rounds["big"].week}


def test_a_team_below_the_minimum_is_absent_entirely(session, rounds):
    answer(session, rounds["big"], 5)
    answer(session, rounds["small"], 4)
    close_all(session, rounds)
    teams = {r.team for r in panel_rows(session, min_group=5)}
    assert teams == {"big"}


def test_comment_metrics_need_enough_commenters(session, rounds):
    answer(session, rounds["big"], 4, comment="fine")
    answer(session, rounds["big"], 2)
    close_all(session, rounds)
    metrics = {r.metric for r in panel_rows(session, min_group=5)}
    assert "participation" in metrics and "comment_sentiment" not in metrics and "tension" not in metrics


def test_open_rounds_stay_out_of_the_panel_until_they_close(session, rounds):
    answer(session, rounds["big"], 6)
    assert panel_rows(session, min_group=5) == []
    close_all(session, rounds)
    assert refresh_panel(session, min_group=5) == len(stored_panel_rows(session)) > 0
    assert {r.team for r in stored_panel_rows(session, teams=["big"])} == {"big"}


def test_a_refresh_redoes_only_the_weeks_whose_sources_changed(session, factory):
    from surveys.history import import_history

    factory.people({"big": ("marketing", 8)})
    lines = "team,week,item_id,value\n" + "".join(
        f"big,2026-W{w:02d},lq1_lead_criteria_agreed,{v}\n" for w in (1, 2) for v in [4] * 6)
    import_history(session, lines)
    refresh_panel(session, min_group=5)
    first = {(r.week, r.metric): r.mean for r in stored_panel_rows(session)}
    import_history(session, "team,week,item_id,value\n" + "".join(
        f"big,2026-W03,lq1_lead_criteria_agreed,{v}\n" for v in [2] * 6))
    refresh_panel(session, min_group=5)
    after = {(r.week, r.metric): r.mean for r in stored_panel_rows(session)}
    assert after[("2026-W03", "lead_quality")] == 2.0
    assert {k: v for k, v in after.items() if k[0] != "2026-W03"} == first
    refresh_panel(session, min_group=6)  # a new minimum recomputes every week
    assert {r.week for r in stored_panel_rows(session)} == {"2026-W01", "2026-W02", "2026-W03"}


def test_week_fingerprints_count_closed_rounds_and_only_their_responses(session, rounds):
    answer(session, rounds["big"], 6)
    answer(session, rounds["small"], 2)
    assert week_fingerprints(session, 5) == {}  # both rounds still open
    with immediate_transaction(session):
        rounds["big"].state = RoundState.CLOSED
    week = rounds["big"].week
    assert week_fingerprints(session, 5) == {week: "1/6/0/5/5"}
    close_all(session, rounds)
    assert week_fingerprints(session, 5, message_min=6) == {week: "2/8/0/5/6"}


def _cell_rows(count):
    """`count` distinct panel rows with every kind of value, empty sd and invited included."""
    return [PanelRow(f"team-{i % 7}", "sales" if i % 2 else "marketing", f"2026-W{1 + i // 7 % 50:02d}",
                     f"metric-{i}", i / 3, None if i % 3 else 0.25 * i, i, None if i % 4 else i + 1)
            for i in range(count)]


@pytest.mark.parametrize("extra", [0, 1, 5])
@pytest.mark.parametrize("reverse", [False, True])
def test_bulk_insert_stores_every_row_once_in_order(session, extra, reverse):
    # Two full multi-row statements and a remainder (none, one or a few rows), with the columns
    # given in the table's order and reversed.
    rows = _cell_rows(2 * (PARAMETERS_PER_INSERT // len(PanelRow._fields)) + extra)
    names, columns = list(PanelRow._fields), [list(column) for column in zip(*rows)]
    with immediate_transaction(session):
        _bulk_insert(session.connection(), PanelCell.__table__,
                     names[::-1] if reverse else names, columns[::-1] if reverse else columns)
    stored = session.execute(select(PanelCell.id, *(getattr(PanelCell, c) for c in names))
                             .order_by(PanelCell.id)).all()
    assert [tuple(row[1:]) for row in stored] == [tuple(row) for row in rows]


def test_many_rows_per_statement_only_for_question_mark_placeholders():
    # A named-placeholder statement (PostgreSQL's driver) is left to one statement per row.
    assert not _insert_many_per_statement(
        None, "INSERT INTO panel_cells (team, n) VALUES (%(team)s, %(n)s)", [["a"], [1]])
    assert not _insert_many_per_statement(
        None, "INSERT INTO panel_cells (team, n) VALUES (?, ?) RETURNING id", [["a"], [1]])
