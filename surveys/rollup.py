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
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import delete, select

from analysis.signals.metrics import FRICTION_CATEGORIES
from analysis.signals.panel import PanelRow
from surveys.db import immediate_transaction
from surveys.messages.aggregates import message_team_weeks
from surveys.messages.records import iso_week
from surveys.models import (
    Answer, Department, Invitation, PanelCell, Response, RoundState, SurveyRound, Team)
from surveys.question_bank import load_bank
from surveys.question_bank.enps import enps_band

#: Points each eNPS band counts for, so that the mean of these is the eNPS itself.
ENPS_POINTS = {"promoter": 100.0, "passive": 0.0, "detractor": -100.0}


@dataclass
class TeamWeek:
    """Everything answered by one team in one ISO week, per respondent."""

    team: str
    department: str
    week: str
    invited: int = 0
    responded: int = 0
    #: response id → {metric: [values]}
    answers: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))
    enps: list = field(default_factory=list)
    comments: list = field(default_factory=list)  #: (sentiment, tension, friction categories)
    messages: list = field(default_factory=list)  #: one PersonWeek per message author


def panel_rows(session, min_group, message_min=None, until_week=None):
    """Every publishable team-week-metric row, oldest week first (messages before `until_week`)."""
    rows = []
    for team_week in _team_weeks(session, until_week).values():
        rows += team_week_rows(team_week, min_group, message_min)
    return sorted(rows, key=lambda r: (r.week, r.team, r.metric))


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
    per_metric = defaultdict(list)
    for by_metric in team_week.answers.values():
        for metric, values in by_metric.items():
            per_metric[metric].append(statistics.fmean(values))  # one value per respondent
    return [_row(team_week, metric, values, len(values)) for metric, values in per_metric.items()]


def _enps_rows(team_week):
    if not team_week.enps:
        return []
    points = [ENPS_POINTS[enps_band(score)] for score in team_week.enps]
    return [_row(team_week, "enps", points, len(points))]


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
    for category in FRICTION_CATEGORIES:
        shares = ([1.0 if category in (c[2] or []) else 0.0 for c in comments]
                  + [p.friction.get(category, 0.0) for p in people])
        rows.append(_row(team_week, f"friction:{category}", shares, n))
    return rows


def _team_weeks(session, until_week=None):
    team_weeks, by_round = {}, {}
    for survey_round, team, department in session.execute(
            select(SurveyRound, Team.slug, Department.slug).join(Team, SurveyRound.team_id == Team.id)
            .join(Department, Team.department_id == Department.id)
            .where(SurveyRound.state == RoundState.CLOSED)):
        key = (team, survey_round.week)
        team_weeks.setdefault(key, TeamWeek(team, department, survey_round.week))
        by_round[survey_round.id] = team_weeks[key]
    _add_invited(session, by_round)
    _add_answers(session, by_round)
    _add_responses(session, by_round)
    for (team, department, week), people in message_team_weeks(session, until_week).items():
        team_weeks.setdefault((team, week), TeamWeek(team, department, week)).messages = people
    return team_weeks


def _add_invited(session, by_round):
    for round_id, in session.execute(select(Invitation.round_id)):
        if round_id in by_round:
            by_round[round_id].invited += 1


def _add_answers(session, by_round):
    bank_metric = _metric_of_items()
    query = select(Response.round_id, Answer.response_id, Answer.item_id, Answer.value).join(
        Answer, Answer.response_id == Response.id)
    for round_id, response_id, item_id, value in session.execute(query):
        metric = bank_metric.get(item_id)
        if metric and round_id in by_round:
            by_round[round_id].answers[response_id][metric].append(value)


def _add_responses(session, by_round):
    query = select(Response.round_id, Response.enps, Response.comment_sentiment,
                   Response.comment_tension, Response.comment_friction)
    for round_id, enps, sentiment, tension, friction in session.execute(query):
        if round_id not in by_round:
            continue
        by_round[round_id].responded += 1
        if enps is not None:
            by_round[round_id].enps.append(enps)
        if sentiment is not None:
            by_round[round_id].comments.append((sentiment, tension, friction))


def _metric_of_items():
    """item id → panel metric: its driver, or pair:<id> for a paired item (all bank versions)."""
    bank = load_bank()
    metrics = {item.id: item.driver for item in bank.items}
    metrics.update({item.id: f"pair:{item.id}" for item in bank.paired_items})
    return metrics


def refresh_panel(session, min_group, message_min=None, now=None):
    """Recompute the stored panel from closed rounds and finished message weeks; returns the count."""
    rows = panel_rows(session, min_group, message_min, iso_week(now) if now else None)
    with immediate_transaction(session):
        session.execute(delete(PanelCell))
        session.add_all(PanelCell(**row.__dict__) for row in rows)
    return len(rows)


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
    # Plain rows, not ORM objects: pages read tens of thousands of cells.
    rows = session.execute(query.order_by(PanelCell.week, PanelCell.team, PanelCell.metric))
    return [PanelRow(*row) for row in rows]
