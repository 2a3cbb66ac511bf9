"""One incoming message as every source hands it to the import, and checks shared by sources."""
import datetime as dt
import hashlib
from dataclasses import dataclass

from surveys.errors import MalformedMessages

#: Where messages can come from; consent is given per source.
SOURCES = ("slack", "csv", "api")
#: Longer texts are cut before redaction and scoring (the start says enough about the tone).
MAX_TEXT = 5000
MAX_ID = 200


@dataclass(frozen=True)
class RawMessage:
    """A message as read from a source: still raw, so it must never be stored or logged."""

    location: str
    message_id: str
    author_email: str
    sent_at: dt.datetime
    text: str

    def __repr__(self):  # a stray log line or traceback must not carry the text or the author
        return f"RawMessage(location={self.location!r})"


def message_hash(source, message_id):
    """The stored form of a message id: a hash, enough to refuse duplicates."""
    return hashlib.sha256(f"{source}\x00{message_id}".encode("utf-8", "replace")).hexdigest()


def iso_week(moment):
    """The ISO week label of a moment, in UTC ("2026-W14")."""
    year, week, _ = moment.astimezone(dt.timezone.utc).isocalendar()
    return f"{year}-W{week:02d}"


def parse_sent_at(value, location):
    """An aware datetime from an ISO string (UTC when no offset is given)."""
    if not isinstance(value, str):
        raise MalformedMessages(location, "sent_at must be an ISO date-time string")
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise MalformedMessages(location, "sent_at is not an ISO date-time") from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    try:  # year 1 at +01:00 is before year 1 in UTC: no datetime can hold it
        return moment.astimezone(dt.timezone.utc)
    except OverflowError:
        raise MalformedMessages(location, "sent_at is out of range") from None


def build_message(location, message_id, author_email, sent_at, text):
    """A checked RawMessage; MalformedMessages names the field at fault (never its value)."""
    if isinstance(message_id, int) and not isinstance(message_id, bool):
        message_id = str(message_id)
    if not isinstance(message_id, str) or not message_id.strip() or len(message_id) > MAX_ID:
        raise MalformedMessages(location, f"message_id must be text of 1 to {MAX_ID} characters")
    if not isinstance(author_email, str) or "@" not in author_email or len(author_email) > 254:
        raise MalformedMessages(location, "author_email must be an e-mail address")
    if not isinstance(text, str):
        raise MalformedMessages(location, "text must be a string")
    if "\x00" in message_id + author_email + text:
        raise MalformedMessages(location, "contains a NUL character, which cannot be stored")
    return RawMessage(location, message_id.strip(), author_email.strip().lower(), sent_at,
                      text[:MAX_TEXT])
