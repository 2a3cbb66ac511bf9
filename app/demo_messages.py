"""The demo's message samples: switched on, most people opted in, the same story as the surveys.

Messages go through the real import (consent check, redaction, scoring, storage); from the onset
week the tense pair's messages grow sharper, while every other team keeps writing calmly.
"""
import datetime as dt

from sqlalchemy import select

from app.demo_story import (
    CALM_MESSAGES, MESSAGE_OPT_IN, TENSE_MESSAGES, TENSE_PAIR, TENSION_ONSET_WEEK)
from surveys.messages.consent import grant_consent
from surveys.messages.ingest import import_messages
from surveys.messages.notice import DEFAULT_NOTICE
from surveys.messages.records import RawMessage
from surveys.messages.switch import enable_sampling
from surveys.models import Member

#: Messages each sharing person writes in a demo week.
MESSAGES_PER_WEEK = 2


def load_demo_messages(session, week_starts, now, rng):
    """Switch sampling on, opt most people in, and import a quarter of their messages."""
    enable_sampling(session, "DPIA-DEMO-2026", DEFAULT_NOTICE, "demo", now)
    people = session.scalars(select(Member).order_by(Member.id)).all()
    for person in people:
        if rng.random() < MESSAGE_OPT_IN:
            grant_consent(session, person, ["slack", "csv", "api"], now)
    messages = [message for week, start in enumerate(week_starts)
                for person in people for message in _week_messages(person, week, start, rng)]
    return import_messages(session, "api", messages, now)


def _week_messages(person, week, start, rng):
    team, department = person.team.slug, person.team.department.slug
    for index in range(MESSAGES_PER_WEEK):
        sent_at = start + dt.timedelta(hours=rng.uniform(2, 100))
        text = _text(team, department, week, rng)
        yield RawMessage(f"demo {week}", f"demo-{person.id}-{week}-{index}", person.email,
                         sent_at, text)


def _text(team, department, week, rng):
    if team in TENSE_PAIR and week >= TENSION_ONSET_WEEK:
        sharp = min(0.25 + 0.12 * (week - TENSION_ONSET_WEEK), 0.85)
        if rng.random() < sharp:
            return rng.choice(TENSE_MESSAGES[department])
    return rng.choice(CALM_MESSAGES)
