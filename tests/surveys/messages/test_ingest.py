"""Importing: consent before scoring, duplicates, all-or-nothing, text retention and purge."""
import datetime as dt

import pytest
from sqlalchemy import select

from surveys.errors import MalformedMessages
from surveys.messages.ingest import import_messages
from surveys.messages.store import purge_texts, tallies
from surveys.models import MessageSample
from tests.conftest import NOW
from tests.message_factories import members, opt_in, raw, sample_count, switch_on


@pytest.fixture
def people(session, factory):
    factory.people({"growth": ("marketing", 4)})
    switch_on(session, NOW)
    found = members(session)
    opt_in(session, found[:2], NOW)
    return found


def test_messages_of_people_without_consent_never_reach_the_database(session, people):
    messages = [raw(people[2], "I am not sharing this.", 1), raw(people[3], "Nor this.", 2),
                raw("stranger@elsewhere.com", "Who am I?", 3), raw(people[0], "Shared.", 4)]
    report = import_messages(session, "api", messages, NOW)
    assert (report.received, report.stored, report.no_consent, report.unknown_author) == (4, 1, 2, 1)
    rows = session.scalars(select(MessageSample)).all()
    assert [r.member_id for r in rows] == [people[0].id]
    assert tallies(session) == {"stored": 1, "no_consent": 2, "unknown_author": 1}


def test_scores_only_by_default_and_no_timestamp_finer_than_the_week(session, people):
    import_messages(session, "api", [raw(people[0], "These leads are junk, again.", 1)], NOW)
    row = session.scalars(select(MessageSample)).one()
    assert row.text is None and row.week == "2026-W10" and row.team_id == people[0].team_id
    assert -1 <= row.sentiment <= 1 and 0 <= row.tension <= 1 and "lead_quality" in row.friction
    assert row.message_hash != "1" and len(row.message_hash) == 64


def test_importing_the_same_messages_twice_adds_nothing(session, people):
    batch = [raw(people[0], "First.", "a"), raw(people[1], "Second.", "b"),
             raw(people[0], "First again, same id.", "a")]
    first = import_messages(session, "slack", batch, NOW)
    second = import_messages(session, "slack", batch, NOW)
    assert (first.stored, first.duplicate) == (2, 1) and (second.stored, second.duplicate) == (0, 3)
    assert sample_count(session) == 2
    assert import_messages(session, "csv", batch[:1], NOW).stored == 1  # another source's ids


def test_a_malformed_message_leaves_nothing_behind(session, people):
    def messages():
        yield raw(people[0], "Fine.", 1)
        raise MalformedMessages("feed.csv: line 3", "sent_at is not an ISO date-time")

    with pytest.raises(MalformedMessages, match="line 3"):
        import_messages(session, "csv", messages(), NOW)
    assert sample_count(session) == 0 and tallies(session) == {}


def test_system_events_and_empty_texts_are_skipped(session, people):
    report = import_messages(session, "slack", [None, raw(people[0], "   ", 1)], NOW)
    assert report.skipped == 2 and sample_count(session) == 0


def test_retained_text_is_redacted_and_purged_after_the_retention_period(session, people):
    import_messages(session, "api", [raw(people[0], "Ring me on 020 7946 0958", 1)], NOW,
                    retention_days=7)
    assert session.scalar(select(MessageSample.text)) == "Ring me on [phone]"
    assert purge_texts(session, NOW + dt.timedelta(days=6), 7) == 0
    assert purge_texts(session, NOW + dt.timedelta(days=7), 7) == 1
    assert session.scalar(select(MessageSample.text)) is None
    assert sample_count(session) == 1  # the scores stay


def test_a_withdrawal_while_scoring_wins(session, people, monkeypatch):
    from surveys.messages import ingest
    from surveys.messages.consent import withdraw_consent

    real = ingest.score_records

    def score_then_withdraw(records, **kwargs):
        results = list(real(records, **kwargs))
        withdraw_consent(session, people[0], NOW)  # arrives between scoring and writing
        return results

    monkeypatch.setattr(ingest, "score_records", score_then_withdraw)
    report = import_messages(session, "api", [raw(people[0], "a", 1), raw(people[1], "b", 2)], NOW)
    assert report.stored == 1 and report.no_consent == 1
    assert sample_count(session, member_id=people[0].id) == 0
