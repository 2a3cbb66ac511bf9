"""The demo organisation loads through the real services and its printed link can be answered."""
import re

from sqlalchemy import func, select

from app.demo import HISTORY_WEEKS, load_demo
from app.demo_story import TEAMS
from app.mail.transport import OutboxTransport
from surveys.db import utcnow
from surveys.models import Response, SurveyRound, Team
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
