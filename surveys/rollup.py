"""The team-week panel (DESIGN §6) from stored responses, with the privacy rules applied.

Only closed rounds count: a figure that changes while a round is open would let someone watching
it tell when a colleague answered, and how. Only finished ISO weeks of messages count, for the
same reason.

This module reads the sources per team and ISO week and stores the cells; `surveys.panel_cells`
builds the cells and applies the group minimums (§3.2, §3.5): a cell backed by fewer than
`min_group` distinct respondents is never produced. Anything aggregated above a team (a
department, the organisation) must be computed from these cells only, never from raw answers, so
a hidden team can never be recovered by subtracting the visible ones from a total (§3.3).

Message samples (§3.5) join the panel as `message_sentiment`, and are pooled with survey comments
into one `tension` and one `friction:<category>` cell per team-week (see `surveys.panel_cells`).
A pooled cell's `n` counts contributions: respondents' comments plus message authors. Comments
cannot be linked to people (§3.1), so someone who both commented and shared messages counts
twice; `n` can overstate the distinct people by at most the smaller part, while each part alone
has the minimum.
"""
import gc
import json
from contextlib import contextmanager
from functools import lru_cache

import numpy as np
from sqlalchemy import case, delete, func, insert, literal_column, select

from analysis.signals.panel import Panel, PanelRow, panel_from_columns
from surveys.db import immediate_transaction, roomy_sqlite_cache
from surveys.messages.aggregates import message_counts_by_week, message_team_weeks
from surveys.messages.records import iso_week
from surveys.models import (
    Answer, Department, Invitation, PanelCell, PanelWeek, Response, RoundState, SurveyRound, Team)
from surveys.panel_cells import AnswerSums, Cells, TeamWeek, build_cells
from surveys.question_bank import load_bank


def panel_rows(session, min_group, message_min=None, until_week=None, weeks=None):
    """Every publishable team-week-metric row, oldest week first (messages before `until_week`),
    for all weeks or only `weeks`."""
    return panel_cells(session, min_group, message_min, until_week, weeks).rows()


def panel_cells(session, min_group, message_min=None, until_week=None, weeks=None) -> Cells:
    """panel_rows as columns, which is what storing them needs (no row object per cell)."""
    team_weeks, answers = _sources(session, until_week, weeks)
    return build_cells(team_weeks, answers, min_group, message_min)


def _sources(session, until_week=None, weeks=None):
    """([TeamWeek], AnswerSums) of closed rounds and finished weeks of messages."""
    team_weeks, by_round = {}, {}
    query = (select(SurveyRound.id, SurveyRound.week, Team.slug, Department.slug)
             .join(Team, SurveyRound.team_id == Team.id)
             .join(Department, Team.department_id == Department.id)
             .where(SurveyRound.state == RoundState.CLOSED))
    if weeks is not None:
        query = query.where(SurveyRound.week.in_(list(weeks)))
    for round_id, week, team, department in session.execute(query):
        team_weeks.setdefault((team, week), TeamWeek(team, department, week))
        by_round[round_id] = team_weeks[(team, week)]
    _add_invited(session, by_round, weeks)
    _add_responses(session, by_round, weeks)
    for (team, department, week), people in message_team_weeks(session, until_week, weeks).items():
        team_weeks.setdefault((team, week), TeamWeek(team, department, week)).messages = people
    ordered = list(team_weeks.values())
    position = {id(team_week): i for i, team_week in enumerate(ordered)}
    round_index = {round_id: position[id(tw)] for round_id, tw in by_round.items()}
    return ordered, _answer_sums(session, round_index, weeks)


def _in_weeks(query, round_id_column, weeks):
    """Limit an aggregate to rounds of `weeks` (all rounds when None)."""
    if weeks is None:
        return query
    return query.where(round_id_column.in_(
        select(SurveyRound.id).where(SurveyRound.week.in_(list(weeks)))))


def _core(session, query):
    """Run a column query as plain Core rows, fetched at once.

    The ORM's per-row processing is not needed here, and iterating a result fetches row by row,
    which cost seconds on half a million cells.
    """
    return session.connection().execute(query).all()


def _add_invited(session, by_round, weeks):
    query = _in_weeks(select(Invitation.round_id, func.count()), Invitation.round_id, weeks)
    query = query.group_by(Invitation.round_id)
    for round_id, invited in _core(session, query):
        if round_id in by_round:
            by_round[round_id].invited += invited


def _answer_sums(session, round_index, weeks):
    """Per round and item: count, sum and sum of squares, computed by the database, as arrays
    tagged with the team-week (`round_index`: round id → team-week index) and metric."""
    item_metric = _metric_of_items()
    metrics = sorted(set(item_metric.values()))
    item_code = {item: metrics.index(metric) for item, metric in item_metric.items()}
    query = select(Answer.round_id, Answer.item_id, func.count(), func.sum(Answer.value),
                   func.sum(Answer.value * Answer.value))
    # Grouped on the answers' own round (covering index ix_answers_round_item): no join.
    query = _in_weeks(query, Answer.round_id, weeks).group_by(Answer.round_id, Answer.item_id)
    rows = _raw(session, query)
    if not rows:
        return AnswerSums(metrics, *(np.zeros(0, dtype=kind) for kind in (np.intp, np.intp, float,
                                                                          float, float)))
    round_ids, item_ids, count, total, squares = zip(*rows)
    team_week = np.array([round_index.get(r, -1) for r in round_ids], dtype=np.intp)
    metric = np.array([item_code.get(i, -1) for i in item_ids], dtype=np.intp)
    keep = (team_week >= 0) & (metric >= 0)  # items of no bank, rounds not being rolled up
    return AnswerSums(metrics, team_week[keep], metric[keep],
                      *(np.array(column, dtype=float)[keep] for column in (count, total, squares)))


def _add_responses(session, by_round, weeks):
    """Response counts and eNPS bands per round in the database; comments row by row."""
    promoter = func.sum(case((Response.enps >= 9, 1), else_=0))
    detractor = func.sum(case((Response.enps <= 6, 1), else_=0))
    # `round_id + 0` keeps SQLite from walking 400k responses through the round index in random
    # id order (four times slower than a scan and a sort); other databases read it the same.
    round_key = (Response.round_id + 0).label("round_key")
    query = select(round_key, func.count(), func.count(Response.enps), promoter, detractor)
    query = _in_weeks(query, Response.round_id, weeks).group_by(round_key)
    for round_id, responded, answered, promoters, detractors in _core(session, query):
        if round_id in by_round:
            team_week = by_round[round_id]
            team_week.responded += responded
            old = team_week.enps
            team_week.enps = (old[0] + answered, old[1] + (promoters or 0), old[2] + (detractors or 0))
    _add_comments(session, by_round, weeks)


def _add_comments(session, by_round, weeks):
    query = select(Response.round_id, Response.comment_sentiment, Response.comment_tension,
                   Response.comment_friction).where(Response.comment_sentiment.is_not(None))
    query = _in_weeks(query, Response.round_id, weeks)
    for round_id, sentiment, tension, friction in _raw(session, query):
        if round_id in by_round:
            by_round[round_id].comments.append((sentiment, tension, _categories(friction)))


def _raw(session, query):
    """All rows of a query as the driver returns them, skipping SQLAlchemy's result processing."""
    result = session.connection().execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return rows


def _categories(friction):
    """A comment's friction categories (a tuple) from the driver's value of the JSON column.

    SQLite hands back JSON text (mostly "[]", which needs no parsing); PostgreSQL drivers hand
    back the list already decoded.
    """
    if friction is None or friction == "[]":
        return ()
    return _parsed_categories(friction) if isinstance(friction, str) else tuple(friction)


@lru_cache(maxsize=4096)
def _parsed_categories(text):
    """The categories in a JSON list: parsed once per distinct text, as a full rollup meets the
    same few lists tens of thousands of times (a tuple, so the shared value cannot change)."""
    return tuple(json.loads(text))


def _metric_of_items():
    """item id → panel metric: its driver, or pair:<id> for a paired item (all bank versions)."""
    bank = load_bank()
    metrics = {item.id: item.driver for item in bank.items}
    metrics.update({item.id: f"pair:{item.id}" for item in bank.paired_items})
    return metrics


def refresh_panel(session, min_group, message_min=None, now=None):
    """Bring the stored panel up to date, recomputing only weeks whose sources changed.

    A week's fingerprint counts its closed rounds, responses and message samples (with the
    minimums in force); a closed round, an import or a withdrawal changes it. Returns the number
    of cells now stored.
    """
    until_week = iso_week(now) if now else None
    fresh = week_fingerprints(session, min_group, message_min, until_week)
    stored = dict(session.execute(select(PanelWeek.week, PanelWeek.fingerprint)).all())
    changed = sorted(w for w in fresh.keys() | stored.keys() if fresh.get(w) != stored.get(w))
    # When every week with sources changed (a first refresh), the sources are read whole: a filter
    # listing all the weeks made the databases fetch responses round by round through the
    # index, several times slower than one scan, for the same cells.
    scope = None if fresh.keys() <= set(changed) else changed
    with _gc_paused():
        cells = panel_cells(session, min_group, message_min, until_week, weeks=scope) if changed else []
        with immediate_transaction(session):
            for chunk in _chunks(changed):
                session.execute(delete(PanelCell).where(PanelCell.week.in_(chunk)))
                session.execute(delete(PanelWeek).where(PanelWeek.week.in_(chunk)))
            if cells:  # half a million cells on a first refresh
                connection = session.connection()
                with roomy_sqlite_cache(connection):
                    _bulk_insert(connection, PanelCell.__table__, PanelRow._fields,
                                 cells.columns())
            session.add_all(PanelWeek(week=w, fingerprint=fresh[w]) for w in changed if w in fresh)
    return session.scalar(select(func.count()).select_from(PanelCell))


@contextmanager
def _gc_paused():
    """No cyclic garbage collection until the block ends (then as before).

    A full rollup creates a few million tuples and floats, none of them in reference cycles;
    each allocation burst set off collections that walked every live object again, a quarter of
    the rollup's time. Plain reference counting still frees everything; cycles made meanwhile
    (by any thread) wait for the first collection after the block.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


#: Bound parameters per statement a multi-row insert stays within: SQLite's lowest limit (999,
#: before 3.32), so any build of it takes the statements.
PARAMETERS_PER_INSERT = 999


def _bulk_insert(connection, table, names, columns):
    """Insert rows given as columns (one list per name) through the driver, with SQL compiled
    for this database.

    SQLAlchemy's executemany builds a parameter dict per row, which for half a million panel
    cells cost more than SQLite's own work; the statement is still compiled by the dialect, so
    the placeholders suit SQLite and PostgreSQL alike. With `?` placeholders (SQLite) many rows
    go in each statement (see _insert_many_per_statement).
    """
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(names))
    if not compiled.positional:
        connection.exec_driver_sql(compiled.string,
                                   [dict(zip(names, row)) for row in zip(*columns)])
        return
    ordered = [columns[names.index(name)] for name in compiled.positiontup]
    if not _insert_many_per_statement(connection, compiled.string, ordered):
        connection.exec_driver_sql(compiled.string, list(zip(*ordered)))


def _insert_many_per_statement(connection, sql, columns):
    """Run a one-row `INSERT … VALUES (?, …)` over rows given as columns, many rows per
    statement; False (nothing done) when `sql` is not of that form.

    One statement per row cost more in the driver (binding, stepping and resetting each) than
    SQLite's own work on the row: at half a million cells a third of the insert time. The rows
    keep their order, so they get the same ids as one by one. The parameters of all rows are
    laid out in one flat list by slice assignment, column by column, and each statement takes
    a slice of it: no tuple per row.
    """
    width = len(columns)
    head, _, group = sql.rpartition(" VALUES ")
    if group != "(" + ", ".join(["?"] * width) + ")":
        return False
    count = len(columns[0])
    values = [None] * (count * width)
    for position, column in enumerate(columns):
        values[position::width] = column
    per = max(PARAMETERS_PER_INSERT // width, 1)
    whole = count - count % per
    if whole:
        size = per * width
        connection.exec_driver_sql(f"{head} VALUES {', '.join([group] * per)}",
                                   [tuple(values[i:i + size]) for i in range(0, whole * width, size)])
    if whole < count:
        connection.exec_driver_sql(f"{head} VALUES {', '.join([group] * (count - whole))}",
                                   tuple(values[whole * width:]))
    return True


def week_fingerprints(session, min_group, message_min=None, until_week=None):
    """{week: "rounds/responses/messages/minimums"} from cheap counts per week."""
    closed = SurveyRound.state == RoundState.CLOSED
    # Grouped on `week || ''` so SQLite scans the rounds and sorts them (a few ms) rather than
    # walk them in week order through ix_rounds_week, fetching each row for its state (5x slower).
    week_key = (SurveyRound.week + literal_column("''")).label("week_key")
    rounds = session.execute(select(week_key, func.count()).where(closed)
                             .group_by(week_key)).all()
    # Responses are counted per round first, straight off the round index, and only those
    # 50k counts are joined to their rounds: joining 400k responses one by one cost 3x more.
    per_round = (select(Response.round_id, func.count().label("responses"))
                 .group_by(Response.round_id).subquery())
    responses = {week: int(count) for week, count in session.execute(  # PostgreSQL: a Decimal
        select(SurveyRound.week, func.sum(per_round.c.responses))
        .join(per_round, per_round.c.round_id == SurveyRound.id)
        .where(closed).group_by(SurveyRound.week))}
    samples = message_counts_by_week(session, until_week)
    minimums = f"{min_group}/{message_min or min_group}"
    weeks = {week for week, _ in rounds} | samples.keys()
    round_counts = dict(rounds)
    return {w: f"{round_counts.get(w, 0)}/{responses.get(w, 0)}/{samples.get(w, 0)}/{minimums}"
            for w in weeks}


def _chunks(items, size=500):
    """Slices small enough for any database's limit on bound parameters."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def stored_panel_rows(session, teams=None, metrics=None, weeks=None, metric_prefix=None):
    """Panel rows as stored by the last refresh, optionally for some teams, metrics or weeks."""
    query = select(PanelCell.team, PanelCell.department, PanelCell.week, PanelCell.metric,
                   PanelCell.mean, PanelCell.sd, PanelCell.n, PanelCell.invited)
    for column, wanted in ((PanelCell.team, teams), (PanelCell.metric, metrics),
                           (PanelCell.week, weeks)):
        if wanted is not None:
            query = query.where(column.in_(list(wanted)))
    if metric_prefix is not None:
        query = query.where(PanelCell.metric.startswith(metric_prefix))
    # Plain Core rows, not ORM objects: pages read tens of thousands of cells.
    rows = _core(session, query.order_by(PanelCell.week, PanelCell.team, PanelCell.metric))
    return [PanelRow(*row) for row in rows]


def stored_panel(session) -> Panel:
    """The whole stored panel in the array form detection works on (no row objects between)."""
    query = select(PanelCell.team, PanelCell.department, PanelCell.week, PanelCell.metric,
                   PanelCell.mean, PanelCell.sd, PanelCell.n, PanelCell.invited)
    # Straight from the DBAPI cursor: these columns need no result processing, and building
    # half a million Row objects only to take them apart again cost seconds.
    with _gc_paused():  # millions of fresh tuples and strings, no cycles among them
        columns = list(zip(*_raw(session, query)))
        return panel_from_columns(*columns) if columns else Panel([], [], [])
