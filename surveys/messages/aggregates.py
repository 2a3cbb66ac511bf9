"""Team-week message figures, one value per person, for the panel (DESIGN §6).

Each author's messages in a week are averaged first, so a prolific writer counts once and the
number of values is the number of distinct people. Nothing here leaves `surveys.rollup`, which
publishes a figure only over at least MESSAGE_MIN_CONTRIBUTORS people.
"""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

from surveys.models import Department, MessageSample, Team


@dataclass(frozen=True)
class PersonWeek:
    """One person's messages in one team-week, averaged: never published on its own."""

    sentiment: float
    tension: float
    #: category → share of this person's messages showing it (absent = 0)
    friction: dict


def message_team_weeks(session, until_week=None, weeks=None):
    """{(team slug, department slug, week): [PersonWeek per author]}, weeks before `until_week`
    (and only `weeks` when given)."""
    query = (select(Team.slug, Department.slug, MessageSample.week, MessageSample.member_id,
                    MessageSample.sentiment, MessageSample.tension, MessageSample.friction)
             .join(Team, MessageSample.team_id == Team.id)
             .join(Department, Team.department_id == Department.id))
    if until_week is not None:
        query = query.where(MessageSample.week < until_week)
    if weeks is not None:
        query = query.where(MessageSample.week.in_(list(weeks)))
    sums = defaultdict(lambda: defaultdict(lambda: [0, 0.0, 0.0, defaultdict(int)]))
    for team, department, week, member_id, sentiment, tension, friction in session.execute(query):
        person = sums[(team, department, week)][member_id]
        person[0], person[1], person[2] = person[0] + 1, person[1] + sentiment, person[2] + tension
        for category in friction or ():
            person[3][category] += 1
    return {key: [_average(*person) for person in people.values()] for key, people in sums.items()}


def _average(count, sentiment, tension, friction):
    return PersonWeek(sentiment / count, tension / count,
                      {category: hits / count for category, hits in friction.items()})


def message_counts_by_week(session, until_week=None):
    """{week: stored message samples}, weeks before `until_week` (a rollup fingerprint part)."""
    query = select(MessageSample.week, func.count()).group_by(MessageSample.week)
    if until_week is not None:
        query = query.where(MessageSample.week < until_week)
    return dict(session.execute(query).all())
