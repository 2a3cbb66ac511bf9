"""A database locked past the busy timeout: 503 with Retry-After, nothing half-written."""
import sqlite3

from sqlalchemy import func, select

from surveys.db import immediate_transaction, utcnow
from surveys.invitations import issue_invitations
from surveys.models import Invitation, Response
from surveys.rounds import open_due_rounds
from tests.app.test_survey_pages import answer_form


def test_a_locked_database_answers_503_and_writes_nothing(app, client, session, factory, tmp_path):
    teams = factory.people({"growth": ("marketing", 5)})
    factory.schedule(teams.values(), starts=utcnow().date(), open_hour=0)
    with immediate_transaction(session):
        [survey_round] = open_due_rounds(session, utcnow())
        issue_invitations(session, survey_round)
    token, invitation = factory.link(survey_round)
    client.get(f"/s/{token}")
    page = client.get("/s/").get_data(as_text=True)
    blocker = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock past the busy timeout
    try:
        response = client.post("/s/", data=answer_form(survey_round, page))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Traceback" not in response.get_data(as_text=True)
    session.commit()
    assert session.scalar(select(func.count()).select_from(Response)) == 0
    assert not session.get(Invitation, invitation.id, populate_existing=True).used
    retried = client.post("/s/", data=answer_form(survey_round, page))
    assert retried.status_code == 303
