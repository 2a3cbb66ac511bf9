"""Anonymous responses: stored once, in one transaction, with nothing that leads back to a person."""
import datetime as dt
import re
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import create_engine, func, inspect, select, text, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.extensions import db
from surveys.db import (
    WRITE_LOCK_SCOPE, advisory_key, immediate_connection, immediate_transaction)
from surveys.errors import InvalidAnswers, LinkExpired, LinkUsed
from surveys.invitations import survey_context_on
from surveys.models import Answer, Invitation, Response, RoundState
from surveys.responses import Submission, response_rates, submit_response
from tests.conftest import NOW
from tests.factories import full_submission


def test_submit_response_stores_answers_and_marks_the_invitation_used(session, factory, open_round):
    _, invitation = factory.link(open_round)
    response_id = submit_response(session, invitation.id, full_submission(open_round, 2, 9, "ok"), NOW)
    response = session.get(Response, response_id)
    assert response.team_id == open_round.team_id and response.submitted_on == NOW.date()
    assert {a.item_id: a.value for a in response.answers} == dict.fromkeys(open_round.item_ids, 2)
    assert (response.enps, response.comment) == (9, "ok")
    assert session.get(Invitation, invitation.id).used


def test_each_response_takes_the_round_team_and_local_day_of_the_link_it_answers(session, factory):
    # Teams of different sizes, departments and time zones, so that no invitation, round and team
    # share an id, and a wrong join or correlation in the write would store another team's row.
    teams = factory.people({"accounts": ("sales", 1), "growth": ("marketing", 2),
                            "closers": ("sales", 3), "ops": ("marketing", 4)})
    rounds = factory.open_round([t for t in teams.values() if t.slug != "accounts"], NOW)
    assert all(r.id != r.team_id for r in rounds), [(r.id, r.team_id, r.team.slug) for r in rounds]
    zones = {"growth": "UTC", "closers": "Pacific/Kiritimati", "ops": "Pacific/Pago_Pago"}
    for team in teams.values():
        team.timezone = zones.get(team.slug, "UTC")
    session.commit()
    local_days = {"growth": NOW.date(), "closers": NOW.date() + dt.timedelta(days=1),
                  "ops": NOW.date()}  # 12:00 UTC is 02:00 the next day at UTC+14
    for survey_round in rounds:
        _, invitation = factory.link(survey_round, -1)
        response_id = submit_response(session, invitation.id, full_submission(survey_round), NOW)
        response = session.get(Response, response_id)
        assert (response.round_id, response.team_id) == (survey_round.id, survey_round.team_id)
        assert response.submitted_on == local_days[survey_round.team.slug]
        assert sorted(a.item_id for a in response.answers) == sorted(survey_round.item_ids)
        assert {a.round_id for a in response.answers} == {survey_round.id}
    assert len({r.team_id for r in session.scalars(select(Response))}) == 3


def test_response_ids_are_random_not_sequential(session, factory, open_round):
    ids = []
    for index in range(3):
        _, invitation = factory.link(open_round, index)
        ids.append(submit_response(session, invitation.id, full_submission(open_round), NOW))
    assert len(set(ids)) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert not any(i.isdigit() for i in ids)  # never the invitation's or a row's number


@pytest.mark.parametrize("change", [
    lambda s: Submission({**s.answers, "made_up_item": 3}, s.enps),
    lambda s: Submission(dict(list(s.answers.items())[1:]), s.enps),
    lambda s: Submission(dict.fromkeys(s.answers, 6), s.enps),
    lambda s: Submission(dict.fromkeys(s.answers, True), s.enps),
    lambda s: Submission(s.answers, 11),
    lambda s: Submission(s.answers, 5, "x" * 2001),
])
def test_invalid_submissions_are_refused_and_nothing_is_written(session, factory, open_round, change):
    _, invitation = factory.link(open_round)
    with pytest.raises(InvalidAnswers):
        submit_response(session, invitation.id, change(full_submission(open_round)), NOW)
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert not session.get(Invitation, invitation.id, populate_existing=True).used


def test_a_comment_is_scored_before_it_is_stored(session, factory, open_round):
    _, invitation = factory.link(open_round)
    scored = {"sentiment": {"compound": -0.6}, "tension": 0.8,
              "friction": [{"category": "lead_quality"}, {"category": "blame"},
                           {"category": "lead_quality"}]}
    response_id = submit_response(session, invitation.id,
                                  full_submission(open_round, comment="junk leads again"), NOW,
                                  score_comment=lambda text: scored)
    response = session.get(Response, response_id)
    assert (response.comment_sentiment, response.comment_tension) == (-0.6, 0.8)
    assert response.comment_friction == ["blame", "lead_quality"]


def test_twenty_concurrent_submissions_of_one_link_store_exactly_one_response(app, factory, open_round):
    _, invitation = factory.link(open_round)
    submission, invitation_id = full_submission(open_round), invitation.id
    outcomes, barrier, engine = [], threading.Barrier(20), db.engine

    def submit():
        with Session(engine) as own_session:
            barrier.wait()
            try:
                submit_response(own_session, invitation_id, submission, NOW)
                outcomes.append("stored")
            except LinkUsed:
                outcomes.append("refused")

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused"] * 19 + ["stored"]
    with Session(db.engine) as check:
        assert check.scalar(select(func.count()).select_from(Response)) == 1
        assert check.scalar(select(func.count()).select_from(Answer)) == len(open_round.item_ids)


def test_the_response_tables_cannot_be_joined_back_to_a_person(session, factory, open_round):
    inspector = inspect(db.engine)
    for table in ("responses", "answers"):
        columns = {c["name"] for c in inspector.get_columns(table)}
        targets = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        assert not targets & {"invitations", "invitation_tokens", "members", "managers"}
        assert not columns & {"invitation_id", "member_id", "email", "token_hash", "created_at"}
    invitation_columns = {c["name"] for c in inspector.get_columns("invitations")}
    assert invitation_columns == {"id", "round_id", "member_id", "used"}  # no time of use
    # Without a rowid, the storage order follows the random id, not the order of submission.
    with pytest.raises(Exception, match="rowid"):
        session.execute(text("SELECT rowid FROM responses")).all()
    session.rollback()


def test_response_rates_are_counts_per_round(session, factory, open_round):
    for index in range(2):
        _, invitation = factory.link(open_round, index)
        submit_response(session, invitation.id, full_submission(open_round), NOW)
    [rate] = response_rates(session)
    assert (rate.invited, rate.responded, rate.week) == (6, 2, open_round.week)


def _stale_context_after(session, factory, open_round, change):
    """The context a page read for an invitation, then `change(invitation)` committed after."""
    _, invitation = factory.link(open_round)
    context = survey_context_on(session.connection(), invitation.id)
    with immediate_transaction(session):
        change(invitation)
    return invitation, context


@pytest.mark.parametrize("change, refusal", [
    (lambda invitation: setattr(invitation.survey_round, "state", RoundState.CLOSED), LinkExpired),
    (lambda invitation: setattr(invitation.member, "active", False), LinkExpired),
    (lambda invitation: setattr(invitation, "used", True), LinkUsed),
])
def test_the_write_re_checks_what_changed_since_the_page_was_read(session, factory, open_round,
                                                                  change, refusal):
    invitation, context = _stale_context_after(session, factory, open_round, change)
    with pytest.raises(refusal):
        submit_response(session, invitation.id, full_submission(open_round), NOW, context=context)
    assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_a_round_past_its_close_refuses_a_submission_read_before_it(session, factory, open_round):
    _, invitation = factory.link(open_round)
    # As if the page had been read with a later closing time: only the write's own check is left.
    context = SimpleNamespace(**survey_context_on(session.connection(), invitation.id)._asdict())
    context.closes_at = NOW.replace(year=2100)
    with pytest.raises(LinkExpired):
        submit_response(session, invitation.id, full_submission(open_round), open_round.closes_at,
                        context=context)
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert not session.get(Invitation, invitation.id, populate_existing=True).used


def test_a_submission_does_not_wait_for_the_global_write_lock(app, session, factory, open_round,
                                                              database_url):
    """Submissions serialise only on their own invitation's row on PostgreSQL (SQLite has one
    write lock for everything, so there is nothing narrower to show there)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has a single write lock")
    _, invitation = factory.link(open_round)
    engine = create_engine(database_url)
    with engine.connect() as other:  # another job holds the global write lock meanwhile
        other.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                      {"key": advisory_key(WRITE_LOCK_SCOPE)})
        submit_response(session, invitation.id, full_submission(open_round), NOW)
        other.rollback()
    engine.dispose()
    assert session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_submission_commits_what_the_callers_session_had_pending_first(session, factory,
                                                                         open_round):
    # The write runs on a connection of its own; the caller's open transaction is ended first,
    # as immediate_transaction ends it (on SQLite a write pending there would otherwise block).
    _, invitation = factory.link(open_round)
    _, other = factory.link(open_round, 1)
    other.used = True  # pending in the caller's session, not flushed
    submit_response(session, invitation.id, full_submission(open_round), NOW)
    session.rollback()  # nothing of the caller's is left to roll back
    assert session.get(Invitation, other.id, populate_existing=True).used
    assert session.get(Invitation, invitation.id, populate_existing=True).used


def test_immediate_connection_writes_all_or_nothing(session, factory, open_round):
    _, invitation = factory.link(open_round)
    mark_used = update(Invitation).where(Invitation.id == invitation.id).values(used=True)
    with pytest.raises(RuntimeError):
        with immediate_connection(session) as connection:
            connection.execute(mark_used)
            raise RuntimeError("fails after a statement")
    assert not session.get(Invitation, invitation.id, populate_existing=True).used
    with immediate_connection(session) as connection:  # ends the read above, then writes
        connection.execute(mark_used)
    assert session.get(Invitation, invitation.id, populate_existing=True).used


def test_immediate_connection_takes_the_write_lock_up_front(session, database_url):
    """Another writer waits for (and on SQLite, past its busy timeout, fails on) the lock."""
    engine = create_engine(database_url, connect_args={"timeout": 0}
                           if database_url.startswith("sqlite") else {})
    with immediate_connection(session) as _connection, engine.connect() as other:
        if database_url.startswith("sqlite"):
            with pytest.raises(OperationalError, match="locked"):
                other.exec_driver_sql("BEGIN IMMEDIATE")
        else:  # the advisory lock of the default scope is held: another holder cannot take it
            taken = other.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                  {"key": advisory_key(WRITE_LOCK_SCOPE)}).scalar()
            assert taken is False
            other.rollback()
    engine.dispose()
