"""Input lines for `python -m analysis score`: JSON objects or plain text, one per line.

A line starting with `{` must be a JSON object with a string `text` (and any `id`); any other
line is the text itself, and its id is its 1-based line number. A line that cannot be read becomes
a BadLine, which the scorer turns into `{"line": n, "error": "..."}` so the stream goes on.
"""
import json


class BadLine(ValueError):
    """An input line that cannot be scored; carries its 1-based line number."""

    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message

    def as_dict(self):
        """The error object written in place of a score."""
        return {"line": self.line, "error": self.message}


def parse_line(raw, number):
    """Turn one raw input line (bytes) into an (id, text) record, or (number, BadLine)."""
    try:
        line = raw.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as error:
        return number, BadLine(number, f"invalid UTF-8 at byte {error.start}")
    if not line.lstrip().startswith("{"):
        return number, line
    return _parse_json(line, number)


def _parse_json(line, number):
    """Parse a JSON-object line into (id, text), or (number, BadLine)."""
    try:
        data = json.loads(line)
    except ValueError as error:
        return number, BadLine(number, f"invalid JSON: {error.msg} at column {error.colno}")
    if not isinstance(data, dict):
        return number, BadLine(number, "a JSON line must be an object")
    if not isinstance(data.get("text"), str):
        return number, BadLine(number, 'missing or non-string "text"')
    return data.get("id", number), data["text"]


def read_records(stream):
    """Yield (id, text-or-BadLine) records from a binary stream, one per line, lazily."""
    for number, raw in enumerate(stream, start=1):
        yield parse_line(raw, number)
