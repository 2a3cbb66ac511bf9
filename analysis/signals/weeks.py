"""ISO week labels ('2026-W14') and their conversion to consecutive integers."""
import datetime as dt
import re

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(label: str) -> dt.date:
    """Return the Monday of an ISO week label; ValueError when the label is not a real week."""
    match = _WEEK.match(label)
    if not match:
        raise ValueError(f"week {label!r} is not in the form YYYY-Www")
    year, week = int(match.group(1)), int(match.group(2))
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"week {label!r} does not exist") from None


def week_number(label: str) -> int:
    """A consecutive integer for a week label (weeks since 0001-01-01), for arithmetic."""
    return parse_week(label).toordinal() // 7


def week_label(number: int) -> str:
    """The ISO label of a week number made by week_number."""
    year, week, _ = dt.date.fromordinal(number * 7 + 1).isocalendar()
    return f"{year}-W{week:02d}"


def week_range(first: str, last: str) -> list[str]:
    """All week labels from first to last inclusive."""
    return [week_label(k) for k in range(week_number(first), week_number(last) + 1)]


def add_weeks(label: str, weeks: int) -> str:
    """The label `weeks` weeks after (or before, when negative) a week label."""
    return week_label(week_number(label) + weeks)
