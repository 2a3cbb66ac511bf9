"""Synthetic survey history written straight into a migrated database, for benchmarks.

Rows go in through bulk inserts (the services would take far longer than what is measured), but
they have exactly the shape the services produce: closed rounds, invitations, anonymous
responses with one answer per asked item, eNPS and scored comments.
"""
import datetime as dt
import random
import secrets

from sqlalchemy import insert, select

from surveys.models import (
    Answer, Department, Invitation, Member, Response, RoundState, SurveyRound, Team)
from surveys.question_bank import load_bank, plan_round_items

START = dt.datetime(2025, 1, 6, 9, tzinfo=dt.timezone.utc)  # a Monday


def build_org(session, n_teams, weeks=52, seed=1):
    """n_teams teams (alternately marketing and sales) of 6–14 people with `weeks` of answers."""
    rng, bank = random.Random(seed), load_bank()
    departments = _departments(session)
    for index in range(n_teams):
        department = "marketing" if index % 2 == 0 else "sales"
        team_id = _team(session, index, departments[department])
        members = _members(session, team_id, index, rng.randint(6, 14))
        for week in range(weeks):
            _round(session, team_id, members, week, department, bank, rng)
    session.commit()


def add_week(session, week, seed=2):
    """One more closed round, numbered `week`, for every team (a week's worth of new answers)."""
    rng, bank = random.Random(seed), load_bank()
    teams = session.execute(select(Team.id, Department.slug).join(Department)).all()
    for team_id, department in teams:
        members = list(session.scalars(select(Member.id).where(Member.team_id == team_id)))
        _round(session, team_id, members, week, department, bank, rng)
    session.commit()


def _departments(session):
    ids = {}
    for slug in ("marketing", "sales"):
        ids[slug] = session.execute(insert(Department).values(slug=slug, name=slug.title())
                                    .returning(Department.id)).scalar()
    return ids


def _team(session, index, department_id):
    return session.execute(insert(Team).values(slug=f"team-{index:04d}", name=f"Team {index}",
                                               department_id=department_id, timezone="UTC")
                           .returning(Team.id)).scalar()


def _members(session, team_id, index, size):
    rows = [{"email": f"p{index}-{i}@example.com", "name": f"Person {i}", "team_id": team_id,
             "active": True, "reminders_off": False, "created_at": START} for i in range(size)]
    return list(session.execute(insert(Member).returning(Member.id), rows).scalars())


def _round(session, team_id, members, week, department, bank, rng):
    opens = START + dt.timedelta(weeks=week)
    items = plan_round_items(bank, "weekly", week, department)
    round_id = session.execute(insert(SurveyRound).values(
        team_id=team_id, number=week, state=RoundState.CLOSED, opens_at=opens,
        closes_at=opens + dt.timedelta(days=5), week=f"{opens.isocalendar()[0]}-W{opens.isocalendar()[1]:02d}",
        bank_version=bank.version, item_ids=items).returning(SurveyRound.id)).scalar()
    answering = [m for m in members if rng.random() < 0.8]
    session.execute(insert(Invitation), [{"round_id": round_id, "member_id": m, "used": m in answering}
                                         for m in members])
    responses, answers = [], []
    for _ in answering:
        response_id = secrets.token_hex(16)
        responses.append(_response(response_id, round_id, team_id, opens, rng))
        answers += [{"response_id": response_id, "item_id": item, "round_id": round_id,
                     "value": min(5, max(1, round(rng.gauss(3.8, 0.9))))} for item in items]
    if responses:
        session.execute(insert(Response), responses)
        session.execute(insert(Answer), answers)


def _response(response_id, round_id, team_id, opens, rng):
    commented = rng.random() < 0.4
    return {"id": response_id, "round_id": round_id, "team_id": team_id,
            "submitted_on": opens.date(), "enps": rng.randint(4, 10),
            "comment": "ok" if commented else None,
            "comment_sentiment": rng.uniform(-0.5, 0.8) if commented else None,
            "comment_tension": rng.uniform(0, 0.6) if commented else None,
            "comment_friction": (["lead_quality"] if rng.random() < 0.2 else []) if commented else None}
