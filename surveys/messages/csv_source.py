"""Reading messages from CSV: `message_id, author_email, sent_at, channel, text`, streamed."""
import csv

from surveys.errors import MalformedMessages
from surveys.messages.records import build_message, parse_sent_at

CSV_COLUMNS = ("message_id", "author_email", "sent_at", "channel", "text")
# A message can be long, but not longer than this; csv's own default is 128 KiB.
csv.field_size_limit(1024 * 1024)


def read_messages_csv(lines, name):
    """Yield RawMessages from an iterable of CSV lines; errors say `name: line N: …`."""
    reader = csv.DictReader(lines)
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise MalformedMessages(f"{name}: line 1", f"not CSV ({error})") from None
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise MalformedMessages(f"{name}: line 1", f"missing column(s): {', '.join(missing)}")
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise MalformedMessages(f"{name}: line {reader.line_num}", f"not CSV ({error})") from None
        yield _row(record, f"{name}: line {reader.line_num}")


def _row(record, location):
    if None in record:
        raise MalformedMessages(location, "more fields than the header has columns")
    if any(record.get(c) is None for c in CSV_COLUMNS):
        raise MalformedMessages(location, "fewer fields than the header has columns")
    sent_at = parse_sent_at(record["sent_at"], location)
    return build_message(location, record["message_id"], record["author_email"], sent_at,
                         record["text"])


def read_messages_csv_file(path):
    """Yield RawMessages from a CSV file, reading it line by line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as file:
            yield from read_messages_csv(file, str(path).rsplit("/", 1)[-1])
    except UnicodeDecodeError:
        raise MalformedMessages(str(path).rsplit("/", 1)[-1], "not UTF-8 text") from None
