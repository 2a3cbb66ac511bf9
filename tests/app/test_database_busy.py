"""A database locked past the busy timeout: 503 with Retry-After, nothing half-written."""
import os
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, func, select, text

from surveys.db import WRITE_LOCK_SCOPE, WritersQueue, advisory_key, immediate_transaction, utcnow
from surveys.invitations import issue_invitations
from surveys.models import Invitation, Response
from surveys.rounds import open_due_rounds
from tests.app.test_survey_pages import answer_form


@contextmanager
def write_lock_held_elsewhere(database_url):
    """Another connection holds the locks the app's writes need, until the block ends.

    SQLite: the database's write lock. PostgreSQL: the global advisory write lock, and the row
    of every invitation (a survey submission locks only its invitation's row).
    """
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as blocker:
        if blocker.dialect.name == "sqlite":
            blocker.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            blocker.exec_driver_sql("BEGIN")
            blocker.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                            {"key": advisory_key(WRITE_LOCK_SCOPE)})
            blocker.exec_driver_sql("SELECT id FROM invitations FOR UPDATE")
        try:
            yield
        finally:
            blocker.exec_driver_sql("ROLLBACK")
    engine.dispose()


def survey_form_open(client, session, factory):
    """An open round, one person's link exchanged and the form loaded: (round, invitation, page)."""
    teams = factory.people({"growth": ("marketing", 5)})
    factory.schedule(teams.values(), starts=utcnow().date(), open_hour=0)
    with immediate_transaction(session):
        [survey_round] = open_due_rounds(session, utcnow())
        issue_invitations(session, survey_round)
    token, invitation = factory.link(survey_round)
    client.get(f"/s/{token}")
    page = client.get("/s/").get_data(as_text=True)
    return survey_round, invitation, page


def test_a_locked_database_answers_503_and_writes_nothing(app, client, session, factory,
                                                          database_url):
    survey_round, invitation, page = survey_form_open(client, session, factory)
    with write_lock_held_elsewhere(database_url):  # held past the busy / lock timeout
        response = client.post("/s/", data=answer_form(survey_round, page))
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Traceback" not in response.get_data(as_text=True)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert not session.get(Invitation, invitation.id, populate_existing=True).used
    retried = client.post("/s/", data=answer_form(survey_round, page))
    assert retried.status_code == 303


def test_a_writers_turn_held_too_long_answers_503_and_writes_nothing(app, client, session,
                                                                     factory, database_url):
    """SQLite: a Tandem writer that keeps its turn past the busy timeout (a long job) turns the
    submission away like a locked database does."""
    if not database_url.startswith("sqlite"):
        pytest.skip("only SQLite files queue their writers")
    survey_round, invitation, page = survey_form_open(client, session, factory)
    path = os.path.abspath(create_engine(database_url).url.database)
    with WritersQueue(path).turn():  # another writer's turn (its own descriptor)
        response = client.post("/s/", data=answer_form(survey_round, page))
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    session.commit()
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert not session.get(Invitation, invitation.id, populate_existing=True).used
    assert client.post("/s/", data=answer_form(survey_round, page)).status_code == 303
