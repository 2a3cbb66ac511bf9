"""Reading messages posted to the API: a JSON array, or JSON lines (one object per line)."""
import json

from surveys.errors import MalformedMessages
from surveys.messages.records import build_message, parse_sent_at

FIELDS = ("message_id", "author_email", "sent_at", "text")


def read_messages_json(body):
    """Yield RawMessages from a request body (str); errors say `item N` or `line N`."""
    stripped = body.lstrip()
    if not stripped:
        raise MalformedMessages("body", "no messages sent")
    if stripped.startswith("["):
        yield from _array(body)
    else:
        yield from _lines(body)


def _array(body):
    try:
        items = json.loads(body)
    except json.JSONDecodeError as error:
        raise MalformedMessages("body", f"not valid JSON (line {error.lineno}, column "
                                        f"{error.colno})") from None
    except RecursionError:
        raise MalformedMessages("body", "JSON nested too deeply") from None
    if not isinstance(items, list):
        raise MalformedMessages("body", "expected a JSON array of messages")
    for index, item in enumerate(items, start=1):
        yield _item(item, f"item {index}")


def _lines(body):
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise MalformedMessages(f"line {number}", f"not valid JSON (column {error.colno})") from None
        except RecursionError:
            raise MalformedMessages(f"line {number}", "JSON nested too deeply") from None
        yield _item(item, f"line {number}")


def _item(item, location):
    if not isinstance(item, dict):
        raise MalformedMessages(location, "expected an object")
    missing = [f for f in FIELDS if f not in item]
    if missing:
        raise MalformedMessages(location, f"missing field(s): {', '.join(missing)}")
    sent_at = parse_sent_at(item["sent_at"], location)
    return build_message(location, item["message_id"], item["author_email"], sent_at, item["text"])
