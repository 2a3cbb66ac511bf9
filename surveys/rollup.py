"""The team-week panel (DESIGN §6) from stored responses, with the privacy rules applied.

Only closed rounds count: a figure that changes while a round is open would let someone watching
it tell when a colleague answered, and how.

Rows are built per team and ISO week; a row backed by fewer than `min_group` distinct respondents
is never produced (DESIGN §3.2). Anything aggregated above a team (a department, the organisation)
must be computed from these rows only, never from raw answers, so a hidden team can never be
recovered by subtracting the visible ones from a total (§3.3).

Message samples (§3.5) join the panel as `message_sentiment`, and are pooled with survey comments
into one `tension` and one `friction:<category>` row per team-week: both are texts people wrote,
scored by the same scorer, so one row per metric keeps the signal detector's view simple. Each
part enters the pool only if it clears its own minimum by itself — comments from at least
`min_group` respondents, messages from at least `message_min` distinct authors (each author's
messages averaged to one value first) — so subtracting an earlier comment-only figure from a
pooled one reveals nothing about fewer people than the rules allow. A pooled row's `n` counts
contributions: respondents' comments plus message authors. Comments cannot be linked to people
(§3.1), so someone who both commented and shared messages counts twice; `n` can overstate the
distinct people by at most the smaller part, while each part alone has the minimum.
Only finished ISO weeks of messages count, for the same reason only closed rounds do.
"""
import json
import math
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import case, delete, func, insert, select

from analysis.signals.metrics import FRICTION_CATEGORIES
from analysis.signals.panel import Panel, PanelRow, panel_from_columns
from surveys.db import immediate_transaction
from surveys.messages.aggregates import message_counts_by_week, message_team_weeks
from surveys.messages.records import iso_week
from surveys.models import (
    Answer, Department, Invitation, PanelCell, PanelWeek, Response, RoundState, SurveyRound, Team)
from surveys.question_bank import load_bank

@dataclass
class TeamWeek:
    """Everything answered by one team in one ISO week, per respondent."""

    team: str
    department: str
    week: str
    invited: int = 0
    responded: int = 0
    #: metric → [(answers, sum, sum of squares) per item asked], summed in the database
    answers: dict = field(default_factory=lambda: defaultdict(list))
    #: (answers, promoters, detractors) of the 0–10 recommend item
    enps: tuple = (0, 0, 0)
    comments: list = field(default_factory=list)  #: (sentiment, tension, friction categories)
    messages: list = field(default_factory=list)  #: one PersonWeek per message author


def panel_rows(session, min_group, message_min=None, until_week=None, weeks=None):
    """Every publishable team-week-metric row, oldest week first (messages before `until_week`),
    for all weeks or only `weeks`."""
    rows = []
    team_weeks = _team_weeks(session, until_week, weeks)
    # Sorting 50k team-weeks and each one's few rows is far cheaper than sorting 500k rows.
    for key in sorted(team_weeks, key=lambda k: (k[1], k[0])):
        rows += sorted(team_week_rows(team_weeks[key], min_group, message_min),
                       key=lambda r: r.metric)
    return rows


def team_week_rows(team_week, min_group, message_min=None):
    """The rows of one team-week that clear the group minimums."""
    message_min = message_min or min_group
    people = team_week.messages if len(team_week.messages) >= message_min else []
    rows = _survey_rows(team_week, min_group) if team_week.responded >= min_group else []
    return rows + _text_rows(team_week, _eligible_comments(team_week, min_group), people)


def _survey_rows(team_week, min_group):
    responded = team_week.responded
    rows = _answer_rows(team_week)
    if team_week.invited:  # history imported from another tool has no invitations
        rows.append(_row(team_week, "participation", [1.0] * responded + [0.0] * max(
            team_week.invited - responded, 0), responded))
    rows += _enps_rows(team_week)
    comments = _eligible_comments(team_week, min_group)
    if comments:
        rows.append(_row(team_week, "comment_sentiment", [c[0] for c in comments], len(comments)))
    return [row for row in rows if row is not None and row.n >= min_group]


def mean_sd(values):
    """Mean and sample standard deviation (None for one value); plain floats, no Fractions."""
    count = len(values)
    mean = math.fsum(values) / count
    if count < 2:
        return mean, None
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (count - 1))


def _eligible_comments(team_week, min_group):
    """Scored comments, only when the week and its comments each clear the minimum."""
    if team_week.responded < min_group:
        return []  # not even participation is shown below the minimum
    comments = [c for c in team_week.comments if c[0] is not None]
    return comments if len(comments) >= min_group else []


def _row(team_week, metric, values, n):
    mean, sd = mean_sd(values)
    return PanelRow(team_week.team, team_week.department, team_week.week, metric,
                    round(mean, 4), None if sd is None else round(sd, 4), n, team_week.invited)


def _answer_rows(team_week):
    return [_row_from_sums(team_week, metric, sums) for metric, sums in team_week.answers.items()]


def _row_from_sums(team_week, metric, sums):
    """A row from per-item (count, sum, sum of squares).

    Rounds ask one item per driver, so a metric normally has one item and n is exact; when two
    items of one driver were asked, n is the larger count, a lower bound on the people behind it.
    """
    count = sum(c for c, _, _ in sums)
    total, squares = sum(t for _, t, _ in sums), sum(q for _, _, q in sums)
    mean = total / count
    sd = math.sqrt(max(squares - total * mean, 0.0) / (count - 1)) if count > 1 else None
    return PanelRow(team_week.team, team_week.department, team_week.week, metric,
                    round(mean, 4), None if sd is None else round(sd, 4),
                    max(c for c, _, _ in sums), team_week.invited)


def _enps_rows(team_week):
    answered, promoters, detractors = team_week.enps
    if not answered:
        return []
    # Each answer counts +100 (promoter), 0 (passive) or -100 (detractor): their mean is the eNPS.
    sums = [(answered, 100.0 * (promoters - detractors), 10000.0 * (promoters + detractors))]
    return [_row_from_sums(team_week, "enps", sums)]


def _text_rows(team_week, comments, people):
    """message_sentiment, and tension and friction pooled over comments and message authors."""
    rows = []
    if people:
        rows.append(_row(team_week, "message_sentiment", [p.sentiment for p in people], len(people)))
    tension = [c[1] for c in comments] + [p.tension for p in people]
    if not tension:
        return rows
    n = len(tension)
    rows.append(_row(team_week, "tension", tension, n))
    hits = defaultdict(int)  # comments: each category is there (1) or not (0)
    for comment in comments:
        for category in comment[2] or ():
            hits[category] += 1
    for category in FRICTION_CATEGORIES:
        shares = [p.friction.get(category, 0.0) for p in people]
        rows.append(_share_row(team_week, category, hits[category], shares, n))
    return rows


def _share_row(team_week, category, comment_hits, person_shares, n):
    """friction:<category> over n contributions: comments count 0/1, authors their share."""
    total = comment_hits + math.fsum(person_shares)
    squares = comment_hits + math.fsum(v * v for v in person_shares)
    mean = total / n
    sd = math.sqrt(max(squares - total * mean, 0.0) / (n - 1)) if n > 1 else None
    return PanelRow(team_week.team, team_week.department, team_week.week, f"friction:{category}",
                    round(mean, 4), None if sd is None else round(sd, 4), n, team_week.invited)


def _team_weeks(session, until_week=None, weeks=None):
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
    _add_answers(session, by_round, weeks)
    _add_responses(session, by_round, weeks)
    for (team, department, week), people in message_team_weeks(session, until_week, weeks).items():
        team_weeks.setdefault((team, week), TeamWeek(team, department, week)).messages = people
    return team_weeks


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


def _add_answers(session, by_round, weeks):
    """Per round and item: count, sum and sum of squares, computed by the database."""
    bank_metric = _metric_of_items()
    query = select(Answer.round_id, Answer.item_id, func.count(), func.sum(Answer.value),
                   func.sum(Answer.value * Answer.value))
    # Grouped on the answers' own round (covering index ix_answers_round_item): no join.
    query = _in_weeks(query, Answer.round_id, weeks).group_by(Answer.round_id, Answer.item_id)
    for round_id, item_id, count, total, squares in _core(session, query):
        metric = bank_metric.get(item_id)
        if metric and round_id in by_round:
            by_round[round_id].answers[metric].append((count, float(total), float(squares)))


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
    """A comment's friction list from the driver's value of the JSON column.

    SQLite hands back JSON text (mostly "[]", which needs no parsing); PostgreSQL drivers hand
    back the list already decoded.
    """
    if friction is None or friction == "[]":
        return []
    return json.loads(friction) if isinstance(friction, str) else list(friction)


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
    rows = panel_rows(session, min_group, message_min, until_week, weeks=changed) if changed else []
    with immediate_transaction(session):
        for chunk in _chunks(changed):
            session.execute(delete(PanelCell).where(PanelCell.week.in_(chunk)))
            session.execute(delete(PanelWeek).where(PanelWeek.week.in_(chunk)))
        if rows:  # half a million cells on a first refresh
            _bulk_insert(session.connection(), PanelCell.__table__, PanelRow._fields, rows)
        session.add_all(PanelWeek(week=w, fingerprint=fresh[w]) for w in changed if w in fresh)
    return session.scalar(select(func.count()).select_from(PanelCell))


def _bulk_insert(connection, table, columns, rows):
    """executemany of plain tuples through the driver, with SQL compiled for this database.

    SQLAlchemy's executemany builds a parameter dict per row, which for half a million panel
    cells cost more than SQLite's own work; the statement is still compiled by the dialect, so
    the placeholders suit SQLite and PostgreSQL alike.
    """
    compiled = insert(table).compile(dialect=connection.dialect, column_keys=list(columns))
    if compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup]
        params = [tuple(row[i] for i in order) for row in rows]
    else:
        params = [dict(zip(columns, row)) for row in rows]
    connection.exec_driver_sql(compiled.string, params)


def week_fingerprints(session, min_group, message_min=None, until_week=None):
    """{week: "rounds/responses/messages/minimums"} from cheap counts per week."""
    closed = SurveyRound.state == RoundState.CLOSED
    rounds = session.execute(select(SurveyRound.week, func.count()).where(closed)
                             .group_by(SurveyRound.week)).all()
    responses = dict(session.execute(
        select(SurveyRound.week, func.count(Response.id)).join(Response, Response.round_id == SurveyRound.id)
        .where(closed).group_by(SurveyRound.week)).all())
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
    columns = list(zip(*_raw(session, query)))
    return panel_from_columns(*columns) if columns else Panel([], [], [])
