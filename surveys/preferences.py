"""E-mail preferences: what a one-click unsubscribe switches off, and a manager's settings."""
from zoneinfo import available_timezones

from surveys.db import immediate_transaction
from surveys.errors import TandemError
from surveys.models import Manager, Member

PREFERENCE_FIELDS = ("digest_enabled", "digest_weekday", "digest_hour", "timezone",
                     "quiet_week_emails", "same_day_alerts")


def unsubscribe(session, kind, person_id):
    """Switch off a manager's digest or a member's reminders; False when there is no such person."""
    model, attribute, value = ((Manager, "digest_enabled", False) if kind == "digest"
                               else (Member, "reminders_off", True))
    with immediate_transaction(session):
        person = session.get(model, person_id)
        if person is None:
            return False
        setattr(person, attribute, value)
    return True


def save_preferences(session, manager, values):
    """Store a manager's delivery preferences after checking them."""
    if values["timezone"] not in available_timezones():
        raise TandemError(f"unknown time zone {values['timezone']!r}")
    if not (0 <= values["digest_weekday"] <= 6 and 0 <= values["digest_hour"] <= 23):
        raise TandemError("the digest needs a weekday and an hour of the day")
    with immediate_transaction(session):
        for name in PREFERENCE_FIELDS:
            setattr(manager, name, values[name])
