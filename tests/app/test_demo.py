"""The demo organisation loads through the real services and its printed link can be answered."""
import re

from sqlalchemy import func, select

from app.demo import HISTORY_WEEKS, load_demo
from app.demo_story import TEAMS
from app.mail.transport import OutboxTransport
from surveys.db import utcnow
from surveys.messages.switch import current_switch
from surveys.models import (
    Member, MessageConsent, MessageSample, PanelCell, Response, SurveyRound, Team)
from surveys.responses import response_rates


def test_demo_builds_a_quarter_of_history_with_friction_in_one_pair(app, session, client):
    summary = load_demo(session, utcnow(), OutboxTransport(app.config["MAIL_OUTBOX_DIR"]),
                        app.config["BASE_URL"])
    teams = {t.id: t.slug for t in session.scalars(select(Team))}
    assert len(teams) == len(TEAMS) >= 6
    assert session.scalar(select(func.count()).select_from(SurveyRound)) == len(TEAMS) * (HISTORY_WEEKS + 1)
    closed = [r for r in response_rates(session) if r.week != response_rates(session)[-1].week]
    assert sum(r.responded for r in closed) >= 0.75 * sum(r.invited for r in closed)

    def mean_tension(slug, first_week):
        return session.scalar(select(func.avg(Response.comment_tension)).join(SurveyRound).where(
            Response.team_id == next(i for i, s in teams.items() if s == slug),
            SurveyRound.number >= first_week))

    assert mean_tension("enterprise-sales", 8) > mean_tension("mid-market-sales", 8)
    link = re.search(r"http://\S+/s/(\S+)", summary).group(1)
    assert client.get(f"/s/{link}").status_code == 303
    assert client.get("/s/").status_code == 200
    assert len(list((OutboxTransport(app.config["MAIL_OUTBOX_DIR"]).directory).glob("*.eml"))) > 40
    check_demo_messages_tell_the_same_story(session)  # one demo load serves both checks


def check_demo_messages_tell_the_same_story(session):
    """Sampling is on, most people share, and the tense pair's messages are sharper late on."""
    assert current_switch(session).enabled
    members = session.scalar(select(func.count()).select_from(Member))
    assert session.scalar(select(func.count()).select_from(MessageConsent)) >= 0.7 * members
    assert session.scalar(select(func.count()).select_from(MessageSample)) > 500

    def late_tension(slug):
        team_id = session.scalar(select(Team.id).where(Team.slug == slug))
        return session.scalar(select(func.avg(MessageSample.tension)).where(
            MessageSample.team_id == team_id, MessageSample.week >= max_week(session, -4)))

    assert late_tension("enterprise-sales") > late_tension("mid-market-sales") + 0.1
    cells = session.scalars(select(PanelCell).where(PanelCell.metric == "message_sentiment")).all()
    assert cells and all(c.n >= 5 for c in cells)


def max_week(session, offset):
    weeks = sorted(set(session.scalars(select(MessageSample.week))))
    return weeks[offset]
