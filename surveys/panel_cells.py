"""Panel cells (DESIGN §6) built column-wise from team-week sums, with the group minimums applied.

`surveys.rollup` reads the sources (closed rounds, answers, responses, message samples) into
`TeamWeek`s and `AnswerSums`; this module turns them into cells. The privacy rules (§3) live here:

- survey figures of a team-week exist only when at least `min_group` people responded, and each
  figure only when at least `min_group` answers are behind it (§3.2);
- comments count only when the week and its scored comments each reach `min_group`;
- message samples count only from at least `message_min` distinct authors, each author's messages
  averaged to one value first (§3.5); comments and messages are pooled into one `tension` and one
  `friction:<category>` cell per team-week, each part entering only if it clears its own minimum,
  so subtracting an earlier comment-only figure from a pooled one reveals nothing about fewer
  people than the rules allow.

Why columns: a full rollup of 1,000 teams × 52 weeks makes half a million cells, and a Python
object per cell and per intermediate sum cost most of the rollup's time. Sums are grouped and the
mean and sd computed with numpy over whole columns instead, with the same floating-point
operations in the same order as the per-row code this replaced, and rounding that reproduces
Python's round(): the stored figures are bit for bit what they were.
"""
import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from analysis.signals.metrics import FRICTION_CATEGORIES
from analysis.signals.panel import PanelRow

#: Figures are stored to four decimals.
DECIMALS = 4
_FRICTION_COLUMN = {category: i for i, category in enumerate(FRICTION_CATEGORIES)}


@dataclass
class TeamWeek:
    """Counts, eNPS bands, comments and message authors of one team in one ISO week."""

    team: str
    department: str
    week: str
    invited: int = 0
    responded: int = 0
    #: (answers, promoters, detractors) of the 0–10 recommend item
    enps: tuple = (0, 0, 0)
    comments: list = field(default_factory=list)  #: (sentiment, tension, friction categories)
    messages: list = field(default_factory=list)  #: one PersonWeek per message author


@dataclass
class AnswerSums:
    """Per round and item asked: answers, their sum and sum of squares, as parallel arrays.

    `team_week` indexes the rollup's list of TeamWeeks and `metric` the names in `metrics`.
    """

    metrics: list
    team_week: np.ndarray
    metric: np.ndarray
    count: np.ndarray
    total: np.ndarray
    squares: np.ndarray


@dataclass
class Cells:
    """Publishable panel cells as parallel columns (plain Python values), ready to store."""

    team: list
    department: list
    week: list
    metric: list
    mean: list
    sd: list
    n: list
    invited: list

    def __len__(self):
        return len(self.team)

    def columns(self):
        """The columns in PanelRow's field order (what a bulk insert binds)."""
        return [self.team, self.department, self.week, self.metric, self.mean, self.sd, self.n,
                self.invited]

    def tuples(self):
        """One tuple per cell in PanelRow's field order."""
        return zip(*self.columns())

    def rows(self):
        """The cells as PanelRows."""
        return list(map(PanelRow._make, self.tuples()))


@dataclass
class _Block:
    """Cells in the making: team-week index, metric code, unrounded mean and sd (NaN: none), n."""

    team_week: np.ndarray
    metric: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    n: np.ndarray


class _MetricCodes:
    """Metric name ↔ small integer, so cells can be grouped and sorted as numbers."""

    def __init__(self, names=()):
        self.names = list(names)
        self._codes = {name: i for i, name in enumerate(self.names)}

    def code(self, name):
        """The code of a metric name, added on first use."""
        if name not in self._codes:
            self._codes[name] = len(self.names)
            self.names.append(name)
        return self._codes[name]


def build_cells(team_weeks, answers, min_group, message_min=None) -> Cells:
    """Every publishable cell of these team-weeks, ordered by week, team and metric."""
    codes = _MetricCodes(answers.metrics)
    surveyed = np.array([tw.responded >= min_group for tw in team_weeks], dtype=bool)
    survey_blocks = [_grouped_sums(answers), _enps_block(team_weeks, codes),
                     _participation_block(team_weeks, codes)]
    blocks = [_publishable(block, surveyed, min_group) for block in survey_blocks]
    blocks += _text_blocks(team_weeks, min_group, message_min or min_group, codes)
    return _ordered_cells(_concatenate(blocks), team_weeks, codes.names)


def mean_sd(values):
    """Mean and sample standard deviation (None for one value); plain floats, no Fractions."""
    count = len(values)
    mean = math.fsum(values) / count
    if count < 2:
        return mean, None
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (count - 1))


def round_like_python(values, decimals=DECIMALS):
    """Python's round(v, decimals) for every value of a float array (NaN stays NaN).

    rint(v · 10^d) / 10^d is what round() gives unless v · 10^d lies within a hair of a half,
    where the rounding of the product itself can tip it the other way than round(), which decides
    on v's exact decimal value; those few values go through round() itself. (Values here are at
    most a few hundred, so the product's error is far below the margin.)
    """
    values = np.asarray(values, dtype=float)
    scaled = values * 10.0 ** decimals
    result = np.rint(scaled) / 10.0 ** decimals
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for i in np.flatnonzero(near_half):
        result[i] = round(float(values[i]), decimals)
    return result


def _cells_from_sums(team_week, metric, count, total, squares, n):
    """A block from (count, sum, sum of squares) per cell: the mean, and the sd from the sums."""
    mean = total / count
    with np.errstate(divide="ignore", invalid="ignore"):
        sd = np.sqrt(np.maximum(squares - total * mean, 0.0) / (count - 1))
    return _Block(team_week, metric, mean, np.where(count > 1, sd, np.nan), n)


def _grouped_sums(answers):
    """One cell per team-week and metric from per-item sums.

    Rounds ask one item per driver, so a metric normally has one item and n is exact; when two
    items of one driver were asked (or two rounds fell in one week), n is the larger count, a
    lower bound on the people behind it. Sums are of whole numbers, so exact in any order.
    """
    if not len(answers.team_week):
        return _empty_block()
    key = answers.team_week.astype(np.int64) * (len(answers.metrics) + 1) + answers.metric
    order = np.argsort(key, kind="stable")
    key = key[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    count = answers.count[order]
    return _cells_from_sums(
        answers.team_week[order][starts], answers.metric[order][starts],
        np.add.reduceat(count, starts), np.add.reduceat(answers.total[order], starts),
        np.add.reduceat(answers.squares[order], starts), np.maximum.reduceat(count, starts))


def _enps_block(team_weeks, codes):
    """eNPS: each answer counts +100 (promoter), 0 (passive) or -100 (detractor); the mean is it."""
    answered = [(i, *tw.enps) for i, tw in enumerate(team_weeks) if tw.enps[0]]
    if not answered:
        return _empty_block()
    index, count, promoters, detractors = (np.array(c) for c in zip(*answered))
    count = count.astype(float)
    return _cells_from_sums(index, np.full(len(index), codes.code("enps")), count,
                            100.0 * (promoters - detractors), 10000.0 * (promoters + detractors),
                            count)


def _participation_block(team_weeks, codes):
    """participation: responded / invited (a 1 per respondent, a 0 per other invitee)."""
    # History imported from another tool has no invitations, hence no participation figure.
    cells = [(i, *_participation(tw.responded, tw.invited), tw.responded)
             for i, tw in enumerate(team_weeks) if tw.invited]
    if not cells:
        return _empty_block()
    index, mean, sd, n = zip(*cells)
    return _Block(np.array(index), np.full(len(index), codes.code("participation")),
                  np.array(mean, dtype=float), np.array(sd, dtype=float), np.array(n))


@lru_cache(maxsize=4096)
def _participation(responded, invited):
    """Mean and sd of participation (None → NaN); only a few hundred distinct team sizes occur."""
    mean, sd = mean_sd([1.0] * responded + [0.0] * max(invited - responded, 0))
    return mean, math.nan if sd is None else sd


def _publishable(block, surveyed, min_group):
    """Survey cells of team-weeks with enough respondents, each backed by enough answers."""
    keep = surveyed[block.team_week] & (block.n >= min_group)
    return _Block(*(column[keep] for column in (block.team_week, block.metric, block.mean,
                                                 block.sd, block.n)))


def _eligible_comments(team_week, min_group):
    """Scored comments, only when the week and its comments each clear the minimum."""
    if team_week.responded < min_group or len(team_week.comments) < min_group:
        return []  # not even participation is shown below the minimum; too few comments at all
    comments = [c for c in team_week.comments if c[0] is not None]
    return comments if len(comments) >= min_group else []


def _text_blocks(team_weeks, min_group, message_min, codes):
    """comment_sentiment, message_sentiment, and tension and friction pooled over comments and
    message authors."""
    cells, friction = [], _FrictionSums()
    for index, team_week in enumerate(team_weeks):
        if not team_week.comments and not team_week.messages:
            continue
        comments = _eligible_comments(team_week, min_group)
        people = team_week.messages if len(team_week.messages) >= message_min else []
        if comments:
            cells.append(_mean_sd_cell(index, codes.code("comment_sentiment"),
                                       [c[0] for c in comments]))
        if people:
            cells.append(_mean_sd_cell(index, codes.code("message_sentiment"),
                                       [p.sentiment for p in people]))
        if comments or people:
            cells.append(_mean_sd_cell(index, codes.code("tension"),
                                       [c[1] for c in comments] + [p.tension for p in people]))
            friction.add(index, comments, people)
    blocks = [friction.block(codes)]
    if cells:
        index, metric, mean, sd, n = zip(*cells)
        blocks.append(_Block(np.array(index), np.array(metric), np.array(mean, dtype=float),
                             np.array(sd, dtype=float), np.array(n)))
    return blocks


def _mean_sd_cell(index, metric, values):
    mean, sd = mean_sd(values)
    return index, metric, mean, math.nan if sd is None else sd, len(values)


class _FrictionSums:
    """Per team-week with texts, per friction category: comments showing it, and the sum and sum
    of squares of the message authors' shares. Comments count 0 or 1, authors their share."""

    def __init__(self):
        self.team_weeks, self.n, self.hits, self.shares, self.squares = [], [], [], [], []

    def add(self, index, comments, people):
        """Add the texts of one team-week."""
        hits = [0] * len(FRICTION_CATEGORIES)
        for comment in comments:
            for category in comment[2] or ():
                if category in _FRICTION_COLUMN:
                    hits[_FRICTION_COLUMN[category]] += 1
        shares, squares = [0.0] * len(hits), [0.0] * len(hits)
        if people:
            for category, column in _FRICTION_COLUMN.items():
                values = [p.friction.get(category, 0.0) for p in people]
                shares[column], squares[column] = math.fsum(values), math.fsum(v * v for v in values)
        self.team_weeks.append(index)
        self.n.append(len(comments) + len(people))
        self.hits.append(hits)
        self.shares.append(shares)
        self.squares.append(squares)

    def block(self, codes):
        """One friction:<category> cell per team-week added and category."""
        if not self.team_weeks:
            return _empty_block()
        categories = len(FRICTION_CATEGORIES)
        hits = np.array(self.hits, dtype=float)
        count = np.repeat(np.array(self.n, dtype=float)[:, None], categories, axis=1)
        metric = np.array([codes.code(f"friction:{c}") for c in FRICTION_CATEGORIES])
        block = _cells_from_sums(np.repeat(np.array(self.team_weeks), categories),
                                 np.tile(metric, len(self.team_weeks)), count.ravel(),
                                 (hits + np.array(self.shares)).ravel(),
                                 (hits + np.array(self.squares)).ravel(), count.ravel())
        return block


def _empty_block():
    empty_int, empty_float = np.zeros(0, dtype=np.intp), np.zeros(0)
    return _Block(empty_int, empty_int, empty_float, empty_float, empty_int)


def _concatenate(blocks):
    return _Block(*(np.concatenate([getattr(b, name) for b in blocks]).astype(kind)
                    for name, kind in (("team_week", np.intp), ("metric", np.intp),
                                       ("mean", float), ("sd", float), ("n", np.int64))))


def _ordered_cells(block, team_weeks, metric_names):
    """Round the figures, order the cells by (week, team, metric) and spell out each column."""
    tw_rank = np.empty(len(team_weeks), dtype=np.intp)
    tw_rank[sorted(range(len(team_weeks)),
                   key=lambda i: (team_weeks[i].week, team_weeks[i].team))] = np.arange(len(team_weeks))
    metric_rank = np.empty(len(metric_names), dtype=np.intp)
    metric_rank[sorted(range(len(metric_names)), key=metric_names.__getitem__)] = np.arange(
        len(metric_names))
    order = np.lexsort((metric_rank[block.metric], tw_rank[block.team_week]))
    at = block.team_week[order]

    def per_team_week(attribute):
        return np.array([getattr(tw, attribute) for tw in team_weeks], dtype=object)[at].tolist()

    sd = round_like_python(block.sd[order]).astype(object)
    sd[np.isnan(block.sd[order])] = None
    return Cells(per_team_week("team"), per_team_week("department"), per_team_week("week"),
                 np.array(metric_names, dtype=object)[block.metric[order]].tolist(),
                 round_like_python(block.mean[order]).tolist(), sd.tolist(),
                 block.n[order].tolist(), per_team_week("invited"))
