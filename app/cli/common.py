"""Helpers shared by the command-line jobs."""
import datetime as dt
from pathlib import Path

import click

from surveys.db import utcnow


def parse_now(value):
    """An ISO timestamp given on the command line, as aware UTC (default: the current time)."""
    if not value:
        return utcnow()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def read_text_file(path):
    """A UTF-8 text file's content, or a click error naming the problem."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise click.ClickException(f"{path}: {error.strerror}") from None
