"""What the manager view shows, computed from the stored panel (never from raw answers).

Every figure here comes from panel cells, which exist only at or above the group minimum, so a
suppressed value is simply absent. Aggregates over several teams use visible cells only.
"""
import random
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from analysis.signals.metrics import DRIVERS, FRICTION_CATEGORIES
from surveys.models import PanelCell, Response, RoundState, SurveyRound, Team
from surveys.rollup import stored_panel_rows

#: Weeks shown by default: one quarter.
DEFAULT_WEEKS = 13


def recent_weeks(session, count=DEFAULT_WEEKS):
    """The latest `count` weeks that have any panel cell, oldest first."""
    weeks = session.scalars(select(PanelCell.week).distinct().order_by(PanelCell.week.desc())
                            .limit(count))
    return sorted(weeks)


def health_score(driver_means):
    """0–100 from the 1–5 driver means of one week; None when no driver is visible."""
    values = [m for m in driver_means if m is not None]
    return round((statistics.fmean(values) - 1) / 4 * 100) if values else None


@dataclass
class TeamSeries:
    """One team's metrics by week: {metric: {week: PanelRow}}."""

    team: str
    department: str = ""
    cells: dict = field(default_factory=lambda: defaultdict(dict))

    def values(self, metric, weeks):
        """The metric's mean for each week, None where hidden or not asked."""
        return [self.cells[metric][w].mean if w in self.cells[metric] else None for w in weeks]

    def latest(self, metric):
        """The most recent visible row of a metric, or None."""
        weeks = sorted(self.cells[metric])
        return self.cells[metric][weeks[-1]] if weeks else None

    def health(self, weeks):
        """Health score per week."""
        return [health_score([self.cells[d][w].mean for d in DRIVERS if w in self.cells[d]])
                for w in weeks]


def team_series(session, team_slugs, weeks, metrics=None, metric_prefix=None):
    """TeamSeries for each of `team_slugs` over `weeks` (teams with no visible data included)."""
    series = {slug: TeamSeries(slug) for slug in team_slugs}
    rows = stored_panel_rows(session, teams=team_slugs, weeks=weeks, metrics=metrics,
                             metric_prefix=metric_prefix)
    for row in rows:
        series[row.team].department = row.department
        series[row.team].cells[row.metric][row.week] = row
    return series


def pooled_mean(rows):
    """n-weighted mean of visible rows, with the number of people behind it; None if no rows."""
    total = sum(r.n for r in rows)
    if not total:
        return None, 0
    return round(sum(r.mean * r.n for r in rows) / total, 2), total


def org_boundary(session, weeks, min_teams):
    """Marketing vs sales on each paired item, pooled over every team, at the item's latest week.

    One (metric, week, marketing figure, sales figure) per paired-item metric with a visible cell
    in `weeks`, at the latest such week; each figure is the `pooled_mean` of the department's
    teams, hidden unless `min_teams` teams contribute (a viewer who knows their own team's
    figure could otherwise subtract it from a two-team total and learn the other team's). A team
    counts in the department of its latest paired-item cell, as in `team_series` over the same
    cells. Only the columns the figures need are read, in one query: building every team's
    series to use a few cells of each took most of an overview page's time in a large
    organisation.
    """
    if not weeks:
        return []
    query = (select(PanelCell.team, PanelCell.department, PanelCell.week, PanelCell.metric,
                    PanelCell.mean, PanelCell.n)
             .where(PanelCell.metric.startswith("pair:"), PanelCell.week.in_(list(weeks)),
                    PanelCell.team.in_(select(Team.slug)))
             .order_by(PanelCell.week, PanelCell.team, PanelCell.metric))
    department, latest, cells = {}, {}, defaultdict(list)
    for cell in session.connection().execute(query).all():
        # Oldest week first: what is left is each team's latest department and each metric's
        # latest week; each (metric, week) keeps its cells in team order.
        department[cell.team] = cell.department
        latest[cell.metric] = cell.week
        cells[cell.metric, cell.week].append(cell)
    figures = []
    for metric in sorted(latest):
        shown = cells[metric, latest[metric]]
        pooled = []
        for name in ("marketing", "sales"):
            mine = [cell for cell in shown if department[cell.team] == name]
            pooled.append(pooled_mean(mine)[0] if len(mine) >= min_teams else None)
        figures.append((metric, latest[metric], *pooled))
    return figures


def pair_metrics(series):
    """The paired-item metrics present in `series`, sorted."""
    return sorted({m for s in series.values() for m in s.cells if m.startswith("pair:")})


def friction_shares(team, weeks):
    """{category: [share per week]} for categories that ever appear in this team's texts."""
    shares = {c: team.values(f"friction:{c}", weeks) for c in FRICTION_CATEGORIES}
    return {c: v for c, v in shares.items() if any(x for x in v if x)}


def round_comments(session, team_id, comment_min, weeks, rng=None, limit=40):
    """Comments of the team's closed rounds in `weeks` that had at least `comment_min` respondents.

    Returned as (week, text) pairs, shuffled, with no date finer than the round's week.
    """
    enough = (select(Response.round_id).join(SurveyRound).where(
        SurveyRound.team_id == team_id, SurveyRound.state == RoundState.CLOSED,
        SurveyRound.week.in_(list(weeks)))
        .group_by(Response.round_id).having(func.count() >= comment_min))
    rows = session.execute(select(SurveyRound.week, Response.comment).join(SurveyRound)
                           .where(Response.round_id.in_(enough), Response.comment.is_not(None)))
    comments = [(week, text) for week, text in rows]
    (rng or random.SystemRandom()).shuffle(comments)
    return comments[:limit]


def team_names(session):
    """Team slug → display name, for every team."""
    return dict(session.execute(select(Team.slug, Team.name)).all())
