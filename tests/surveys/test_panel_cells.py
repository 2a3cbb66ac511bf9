"""Column-wise panel cells against the row-by-row rules they replaced, and the rounding they use.

The reference below is the per-row rollup as it was before the cells were built with numpy
(mean and sd from per-item sums, fsum for texts, Python's round): the new code must give exactly
the same rows, not merely close ones, including every group minimum.
"""
import math
import random

import numpy as np
import pytest

from analysis.signals.metrics import FRICTION_CATEGORIES
from analysis.signals.panel import PanelRow
from surveys.messages.aggregates import PersonWeek
from surveys.panel_cells import AnswerSums, TeamWeek, build_cells, mean_sd, round_like_python

METRICS = ["communication", "lead_quality", "role_clarity", "pair:p1"]


def reference_rows(team_weeks, answers, min_group, message_min):
    """The pre-numpy rollup: one team-week at a time, one row object at a time."""
    rows = []
    for tw in sorted(team_weeks, key=lambda t: (t.week, t.team)):
        people = tw.messages if len(tw.messages) >= message_min else []
        comments = [c for c in tw.comments if c[0] is not None]
        comments = comments if tw.responded >= min_group and len(comments) >= min_group else []
        found = _survey_rows(tw, answers.get(id(tw), {}), comments, min_group)
        if tw.responded < min_group:
            found = []
        rows += sorted(found + _text_rows(tw, comments, people), key=lambda r: r.metric)
    return rows


def _row(tw, metric, mean, sd, n):
    return PanelRow(tw.team, tw.department, tw.week, metric, round(mean, 4),
                    None if sd is None else round(sd, 4), n, tw.invited)


def _from_sums(tw, metric, sums):
    count = sum(c for c, _, _ in sums)
    total, squares = sum(t for _, t, _ in sums), sum(q for _, _, q in sums)
    mean = total / count
    sd = math.sqrt(max(squares - total * mean, 0.0) / (count - 1)) if count > 1 else None
    return _row(tw, metric, mean, sd, max(c for c, _, _ in sums))


def _survey_rows(tw, sums_by_metric, comments, min_group):
    rows = [_from_sums(tw, metric, sums) for metric, sums in sums_by_metric.items()]
    if tw.invited:
        values = [1.0] * tw.responded + [0.0] * max(tw.invited - tw.responded, 0)
        rows.append(_row(tw, "participation", *mean_sd(values), tw.responded))
    answered, promoters, detractors = tw.enps
    if answered:
        rows.append(_from_sums(tw, "enps", [(answered, 100.0 * (promoters - detractors),
                                             10000.0 * (promoters + detractors))]))
    if comments:
        rows.append(_row(tw, "comment_sentiment", *mean_sd([c[0] for c in comments]), len(comments)))
    return [row for row in rows if row.n >= min_group]


def _text_rows(tw, comments, people):
    rows = []
    if people:
        rows.append(_row(tw, "message_sentiment", *mean_sd([p.sentiment for p in people]),
                         len(people)))
    tension = [c[1] for c in comments] + [p.tension for p in people]
    if not tension:
        return rows
    n = len(tension)
    rows.append(_row(tw, "tension", *mean_sd(tension), n))
    for category in FRICTION_CATEGORIES:
        hits = sum(category in (c[2] or ()) for c in comments)
        shares = [p.friction.get(category, 0.0) for p in people]
        total, squares = hits + math.fsum(shares), hits + math.fsum(v * v for v in shares)
        mean = total / n
        sd = math.sqrt(max(squares - total * mean, 0.0) / (n - 1)) if n > 1 else None
        rows.append(_row(tw, f"friction:{category}", mean, sd, n))
    return rows


def random_org(seed, teams=12, weeks=6):
    """Team-weeks and answer sums with every edge the rules know: small weeks, few comments,
    few message authors, history without invitations, two items of one driver, two rounds."""
    rng = random.Random(seed)
    team_weeks, by_tw, entries = [], {}, []
    for t in range(teams):
        for w in range(weeks):
            invited = rng.choice([0, rng.randint(3, 14)])
            responded = rng.randint(0, invited or 12)
            tw = TeamWeek(f"team-{t:02d}", "marketing" if t % 2 else "sales", f"2026-W{w + 1:02d}",
                          invited, responded)
            enps = [rng.randint(0, 10) for _ in range(rng.randint(0, responded))]
            tw.enps = (len(enps), sum(e >= 9 for e in enps), sum(e <= 6 for e in enps))
            tw.comments = [(rng.choice([None, rng.uniform(-1, 1)]), rng.uniform(0, 1),
                            rng.choice([None, [], ["blame"], ["credit", "blame", "unknown"]]))
                           for _ in range(rng.randint(0, responded))]
            tw.messages = [PersonWeek(rng.uniform(-1, 1), rng.uniform(0, 1),
                                      {c: rng.random() for c in rng.sample(FRICTION_CATEGORIES, 2)})
                           for _ in range(rng.choice([0, 0, rng.randint(1, 9)]))]
            index = len(team_weeks)
            team_weeks.append(tw)
            by_tw[id(tw)] = {}
            for _round in range(rng.choice([1, 1, 2])):
                for metric in rng.sample(METRICS, 3) + rng.choice([[], ["lead_quality"]]):
                    values = [rng.randint(1, 5) for _ in range(rng.randint(1, responded + 1))]
                    sums = (len(values), float(sum(values)), float(sum(v * v for v in values)))
                    by_tw[id(tw)].setdefault(metric, []).append(sums)
                    entries.append((index, METRICS.index(metric), *sums))
    index, metric, count, total, squares = (np.array(c) for c in zip(*entries))
    answers = AnswerSums(METRICS, index, metric, count.astype(float), total, squares)
    return team_weeks, answers, by_tw


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("min_group,message_min", [(5, 5), (3, 4)])
def test_cells_are_exactly_the_rows_of_the_per_row_rules(seed, min_group, message_min):
    team_weeks, answers, by_tw = random_org(seed)
    expected = reference_rows(team_weeks, by_tw, min_group, message_min)
    assert build_cells(team_weeks, answers, min_group, message_min).rows() == expected
    assert expected and {r.metric for r in expected} >= {"participation", "enps", "tension",
                                                          "message_sentiment", "pair:p1"}


def test_no_team_weeks_give_no_cells():
    empty = AnswerSums(METRICS, *(np.zeros(0, dtype=kind) for kind in (int, int, float, float, float)))
    assert build_cells([], empty, 5).rows() == []


def test_rounding_is_pythons_round_even_at_ties():
    rng = random.Random(7)
    values = [0.03125, 2.675, 1.00005, -0.00005, 0.00015, 4.99995, -37.12345, 100.0, 0.0] + [
        rng.randint(-10 ** 6, 10 ** 6) / 10 ** 4 + rng.choice([0, 5e-5, -5e-5, 1e-12])
        for _ in range(20000)] + [rng.uniform(-100, 100) for _ in range(20000)]
    rounded = round_like_python(np.array(values))
    assert [float(v) for v in rounded] == [round(v, 4) for v in values]
    assert np.isnan(round_like_python(np.array([math.nan]))[0])
