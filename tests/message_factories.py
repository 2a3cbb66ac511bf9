"""Helpers for message-sampling tests: switch on, opt people in, write Slack exports and CSVs."""
import csv
import datetime as dt
import json

from sqlalchemy import func, select

from surveys.messages.consent import grant_consent
from surveys.messages.records import RawMessage
from surveys.messages.switch import enable_sampling
from surveys.models import Member, MessageSample

NOTICE = "We score shared work messages for tone. Only team figures are shown."
#: A Monday at noon UTC in ISO week 2026-W10 (finished well before the tests' NOW).
SENT = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.timezone.utc)


def switch_on(session, now, notice=NOTICE):
    """Switch sampling on with a test notice."""
    return enable_sampling(session, "DPIA-2026-01", notice, "admin@example.com", now)


def members(session, team=None):
    """Members ordered by id, optionally of one team slug."""
    query = select(Member).order_by(Member.id)
    return [m for m in session.scalars(query) if team is None or m.team.slug == team]


def opt_in(session, people, now, scope=("slack", "csv", "api")):
    """Grant consent for each of `people`."""
    for person in people:
        grant_consent(session, person, scope, now)


def raw(person_or_email, text, message_id, sent_at=SENT):
    """A RawMessage from a member (or an e-mail address)."""
    email = getattr(person_or_email, "email", person_or_email)
    return RawMessage(f"test {message_id}", str(message_id), email, sent_at, text)


def sample_count(session, **where):
    """Stored samples, optionally filtered by column values (read afresh, after other writers)."""
    session.commit()
    query = select(func.count()).select_from(MessageSample)
    for column, value in where.items():
        query = query.where(getattr(MessageSample, column) == value)
    return session.scalar(query)


def write_slack_export(folder, people, days, channel="general", extra_users=()):
    """A Slack export folder: users from `people`, one channel, `days` = {date: [(person, text)]}."""
    folder.mkdir(parents=True, exist_ok=True)
    users = [{"id": f"U{p.id}", "name": p.email.split("@")[0], "profile": {"email": p.email}}
             for p in people] + list(extra_users)
    (folder / "users.json").write_text(json.dumps(users))
    (folder / "channels.json").write_text(json.dumps([{"id": "C1", "name": channel}]))
    (folder / channel).mkdir(exist_ok=True)
    for day, lines in days.items():
        start = dt.datetime.fromisoformat(f"{day}T09:00:00+00:00").timestamp()
        messages = [{"type": "message", "user": user if isinstance(user, str) else f"U{user.id}",
                     "text": text, "ts": f"{start + i:.6f}"} for i, (user, text) in enumerate(lines)]
        (folder / channel / f"{day}.json").write_text(json.dumps(messages))
    return folder


def write_messages_csv(path, rows):
    """A messages CSV from (message_id, author_email, sent_at, channel, text) tuples."""
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["message_id", "author_email", "sent_at", "channel", "text"])
        writer.writerows(rows)
    return path
