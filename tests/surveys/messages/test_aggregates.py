"""Message figures in the panel: per team-week, over enough distinct people, pooled with comments."""
import datetime as dt

import pytest

from surveys.messages.ingest import import_messages
from surveys.rollup import panel_rows, refresh_panel, stored_panel_rows
from tests.conftest import NOW
from tests.message_factories import SENT, members, opt_in, raw, switch_on
from tests.surveys.test_rollup import answer, close_all

TENSE = "These leads are junk and nobody ever follows up. Typical."


@pytest.fixture
def team(session, factory):
    factory.people({"growth": ("marketing", 8)})
    switch_on(session, NOW)
    people = members(session)
    opt_in(session, people, NOW)
    return people


def share(session, people, text=TENSE, per_person=3, sent_at=SENT, start=0):
    messages = [raw(p, text, f"{start}-{p.id}-{i}", sent_at) for p in people for i in range(per_person)]
    return import_messages(session, "api", messages, NOW)


def message_rows(session, message_min=5, until_week=None):
    return {r.metric: r for r in panel_rows(session, 5, message_min, until_week)}


def test_message_metrics_need_enough_distinct_people_not_messages(session, team):
    share(session, team[:4], per_person=10)  # 40 messages from 4 people
    assert message_rows(session) == {}
    share(session, team[4:5], start=1)
    rows = message_rows(session)
    assert rows["message_sentiment"].n == 5 and rows["tension"].n == 5
    assert rows["friction:lead_quality"].mean == 1.0 and rows["message_sentiment"].mean <= 0
    assert {r.week for r in rows.values()} == {"2026-W10"}


def test_a_higher_message_minimum_is_respected(session, team):
    share(session, team[:6])
    assert message_rows(session, message_min=7) == {}
    assert message_rows(session, message_min=6)["message_sentiment"].n == 6


def test_each_author_counts_once_however_much_they_write(session, team):
    share(session, team[:4], text="Thanks, lovely work everyone!", per_person=1)
    share(session, team[4:5], per_person=50, start=1)
    rows = message_rows(session)
    assert rows["friction:lead_quality"].mean == pytest.approx(0.2)


def test_the_current_week_stays_out_until_it_is_over(session, team):
    share(session, team[:5], sent_at=NOW - dt.timedelta(hours=1))
    assert message_rows(session, until_week="2026-W14") == {}
    assert refresh_panel(session, 5, 5, NOW) == 0
    assert refresh_panel(session, 5, 5, NOW + dt.timedelta(weeks=1)) > 0
    assert {r.metric for r in stored_panel_rows(session)} >= {"message_sentiment", "tension"}


def test_comments_and_messages_pool_into_one_tension_row(session, factory, team):
    rounds = {r.team.slug: r for r in factory.open_round([team[0].team], NOW)}
    answer(session, rounds["growth"], 6, comment="why didn't you follow up")  # tension 0.7 each
    close_all(session, rounds)
    week = rounds["growth"].week
    monday = dt.datetime.fromisocalendar(int(week[:4]), int(week[-2:]), 1).replace(tzinfo=dt.timezone.utc)
    share(session, team[:5], text="Thanks, lovely work everyone!", sent_at=monday)
    rows = {r.metric: r for r in panel_rows(session, 5, 5) if r.week == week}
    assert rows["tension"].n == 11 and rows["comment_sentiment"].n == 6
    assert rows["message_sentiment"].n == 5
    assert 0 < rows["tension"].mean < 0.7  # six tense comments pooled with five calm authors
    assert len([m for m in rows if m == "tension"]) == 1


def test_messages_below_the_minimum_do_not_join_the_pool(session, factory, team):
    rounds = {r.team.slug: r for r in factory.open_round([team[0].team], NOW)}
    answer(session, rounds["growth"], 6, comment="why didn't you follow up")
    close_all(session, rounds)
    week = rounds["growth"].week
    monday = dt.datetime.fromisocalendar(int(week[:4]), int(week[-2:]), 1).replace(tzinfo=dt.timezone.utc)
    share(session, team[:4], text="Thanks, lovely work everyone!", sent_at=monday)
    rows = {r.metric: r for r in panel_rows(session, 5, 5) if r.week == week}
    assert rows["tension"].n == 6 and rows["tension"].mean == 0.7
    assert "message_sentiment" not in rows
