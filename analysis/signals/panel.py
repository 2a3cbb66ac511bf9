"""The team-week panel (DESIGN §6): reading and writing the long CSV, and an array form for detection.

The long CSV has one row per team, ISO week and metric. In memory a `Panel` keeps, per metric, a
block of (team × week) arrays with NaN where a team has no row, so detectors work on whole
columns of teams at once instead of looping over rows.
"""
import csv
import math
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from analysis.signals.metrics import spec_for
from analysis.signals.weeks import parse_week, week_label, week_number

COLUMNS = ("team", "department", "week", "metric", "mean", "sd", "n", "invited")


class PanelError(ValueError):
    """A panel file with bad lines; `problems` holds (line number, message) pairs."""

    def __init__(self, problems):
        self.problems = list(problems)
        shown = "\n".join(f"line {line}: {text}" for line, text in self.problems[:20])
        more = len(self.problems) - 20
        tail = f"\n… and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.problems)} bad line(s) in panel:\n{shown}{tail}")


class PanelRow(NamedTuple):
    """One team-week-metric aggregate.

    A named tuple rather than a frozen dataclass: a full rollup makes half a million of them, and
    a frozen dataclass spends most of its construction time in per-field setattr calls.
    """

    team: str
    department: str
    week: str
    metric: str
    mean: float
    sd: float | None
    n: int
    invited: int | None = None


@dataclass
class MetricBlock:
    """Arrays of shape (teams, weeks) for one metric; NaN where there is no row."""

    mean: np.ndarray
    sd: np.ndarray
    n: np.ndarray
    invited: np.ndarray


@dataclass
class Panel:
    """A whole panel: team names, their departments, consecutive weeks and one block per metric."""

    teams: list[str]
    departments: list[str]
    weeks: list[str]
    blocks: dict[str, MetricBlock] = field(default_factory=dict)
    #: figures derived from the blocks once per panel (e.g. friction totals behind evidence)
    cache: dict = field(default_factory=dict, repr=False, compare=False)

    def team_index(self, team: str) -> int:
        """Row index of a team in every block."""
        return self.teams.index(team)


def _number(text, name, integer=False, required=True):
    """Parse one numeric cell; ValueError with a readable message when it is not valid."""
    text = (text or "").strip()
    if not text:
        if required:
            raise ValueError(f"{name} is empty")
        return None
    try:
        value = int(text) if integer else float(text)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ValueError(f"{name} {text!r} is not {kind}") from None
    if not math.isfinite(value):
        raise ValueError(f"{name} {text!r} is not finite")
    return value


def parse_row(record: dict) -> PanelRow:
    """Validate one CSV record into a PanelRow; ValueError naming the problem."""
    team, department = (record.get(k, "").strip() for k in ("team", "department"))
    if not team or not department:
        raise ValueError("team and department must not be empty")
    week, metric = record.get("week", "").strip(), record.get("metric", "").strip()
    parse_week(week)
    try:
        spec = spec_for(metric)
    except KeyError:
        raise ValueError(f"unknown metric {metric!r}") from None
    mean = _number(record.get("mean"), "mean")
    if not spec.low <= mean <= spec.high:
        raise ValueError(f"mean {mean} is outside {spec.low:g}..{spec.high:g} for {metric}")
    sd = _number(record.get("sd"), "sd", required=False)
    n = _number(record.get("n"), "n", integer=True)
    invited = _number(record.get("invited"), "invited", integer=True, required=False)
    _check_counts(sd, n, invited)
    return PanelRow(team, department, week, metric, mean, sd, n, invited)


def _check_counts(sd, n, invited):
    """Reject negative spreads and counts, and more respondents than invitations."""
    if sd is not None and sd < 0:
        raise ValueError("sd must not be negative")
    if n < 0 or (invited is not None and invited < 0):
        raise ValueError("n and invited must not be negative")
    if invited is not None and n > invited:
        raise ValueError(f"n {n} is larger than invited {invited}")


def read_panel_rows(path) -> list[PanelRow]:
    """Read a long panel CSV; raise PanelError listing every bad line by its line number."""
    with open(path, newline="", encoding="utf-8") as handle:
        return parse_panel_lines(handle)


def parse_panel_lines(lines) -> list[PanelRow]:
    """Parse CSV text lines (header first) into rows; PanelError for bad lines or duplicates."""
    reader = csv.DictReader(lines)
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise PanelError([(1, f"header lacks column(s): {', '.join(missing)}")])
    rows, problems, seen, departments = [], [], {}, {}
    for record in reader:
        line = reader.line_num
        try:
            row = parse_row(record)
            _check_unique(row, seen, departments, line)
        except ValueError as error:
            problems.append((line, str(error)))
            continue
        rows.append(row)
    if problems:
        raise PanelError(problems)
    return rows


def _check_unique(row, seen, departments, line):
    """One row per team, week and metric; one department per team."""
    key = (row.team, row.week, row.metric)
    if key in seen:
        raise ValueError(f"duplicate of line {seen[key]} ({row.team}, {row.week}, {row.metric})")
    known = departments.setdefault(row.team, row.department)
    if known != row.department:
        raise ValueError(f"team {row.team!r} is in {known!r} on an earlier line")
    seen[key] = line


def panel_from_rows(rows) -> Panel:
    """Build the array form of a panel from rows (weeks made consecutive, gaps left as NaN)."""
    rows = list(rows)
    if not rows:
        return Panel([], [], [])
    return panel_from_columns(*zip(*((r.team, r.department, r.week, r.metric, r.mean, r.sd, r.n,
                                      r.invited) for r in rows)))


def panel_from_columns(team, department, week, metric, mean, sd, n, invited) -> Panel:
    """Build a Panel from parallel columns of a long panel (None for an empty sd or invited).

    Each name is mapped to its position once per cell through a dict and the figures are
    scattered with numpy into one (metric × team × week) grid per field, whose slices are the
    metric blocks: half a million cells take a fraction of a second rather than many.
    """
    if len(team) == 0:
        return Panel([], [], [])
    # A team's first department wins: building the dict backwards, the first pair is written last.
    departments = dict(zip(reversed(team), reversed(department)))
    teams = sorted(departments)
    numbers = {w: week_number(w) for w in set(week)}
    first = min(numbers.values())
    weeks = [week_label(k) for k in range(first, max(numbers.values()) + 1)]
    metrics = sorted(set(metric))
    panel = Panel(teams, [departments[t] for t in teams], weeks)
    cells = (_positions(metric, {name: i for i, name in enumerate(metrics)}),
             _positions(team, {name: i for i, name in enumerate(teams)}),
             _positions(week, {label: k - first for label, k in numbers.items()}))
    grids = [_grid(column, cells, (len(metrics), len(teams), len(weeks)))
             for column in (mean, sd, n, invited)]
    for m, name in enumerate(metrics):
        panel.blocks[name] = MetricBlock(*(grid[m] for grid in grids))
    return panel


def _positions(values, position):
    """position[v] for each value, as an integer array."""
    return np.fromiter(map(position.__getitem__, values), dtype=np.intp, count=len(values))


def _grid(column, cells, shape):
    """A NaN-filled array of `shape` with the column's values at `cells` (None becomes NaN,
    which numpy does itself when converting to float)."""
    grid = np.full(shape, np.nan)
    grid[cells] = np.array(column, dtype=float)
    return grid


def read_panel(path) -> Panel:
    """Read a long panel CSV into a Panel; PanelError for bad lines."""
    return panel_from_rows(read_panel_rows(path))


def panel_rows(panel: Panel):
    """Yield the rows of a Panel (the inverse of panel_from_rows)."""
    for metric, block in sorted(panel.blocks.items()):
        for i, j in zip(*np.nonzero(~np.isnan(block.mean))):
            sd, invited = block.sd[i, j], block.invited[i, j]
            yield PanelRow(panel.teams[i], panel.departments[i], panel.weeks[j], metric,
                           float(block.mean[i, j]), None if np.isnan(sd) else float(sd),
                           int(block.n[i, j]), None if np.isnan(invited) else int(invited))


def write_panel(rows, path) -> None:
    """Write rows (or a Panel) as a long panel CSV."""
    if isinstance(rows, Panel):
        rows = panel_rows(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for r in rows:
            writer.writerow([r.team, r.department, r.week, r.metric, _fmt(r.mean), _fmt(r.sd),
                             r.n, "" if r.invited is None else r.invited])


def _fmt(value):
    """Short decimal text for a float; empty for None."""
    return "" if value is None else f"{value:.4g}"
