"""Readable evidence for a signal: from what to what, against which baseline, among how many."""
import numpy as np

from analysis.signals.baseline import nan0
from analysis.signals.metrics import FRICTION_CATEGORIES, metric_label


def episode_numbers(x, n, valid, ep):
    """Summary numbers of one series over an episode's open weeks (all 1-D rows)."""
    idx = [t for t in range(ep.start, ep.end + 1) if valid[t]]
    recent = idx[-2:]
    weights = n[recent]
    return {
        "recent": float(np.average(x[recent], weights=weights)),
        "n_min": int(n[idx].min()), "n_max": int(n[idx].max()),
        "median_n": float(np.median(n[idx])), "weeks_observed": len(idx),
    }


def people(numbers) -> str:
    """'7 people' or '6–9 people'."""
    lo, hi = numbers["n_min"], numbers["n_max"]
    return f"{lo} people" if lo == hi else f"{lo}–{hi} people"


def fmt(value, metric) -> str:
    """A value as a manager would read it: shares as percentages, eNPS whole, others 2 d.p."""
    if metric == "participation" or metric.startswith("friction:"):
        return f"{100 * value:.0f}%"
    return f"{value:.0f}" if metric == "enps" else f"{value:.2f}"


def change_evidence(metric, base, numbers, effect_sd, history, verb):
    """Evidence dict for a change against a baseline (decline, drop, slides, participation, spikes)."""
    against = (f"the team's usual level over {history} earlier weeks, shrunk toward the organisation"
               if history >= 3 else "the organisation's typical level (little team history yet)")
    summary = (f"{metric_label(metric)} {verb} from {fmt(base, metric)} to "
               f"{fmt(numbers['recent'], metric)} among {people(numbers)} "
               f"({numbers['weeks_observed']} week(s) observed)")
    return {"metric_label": metric_label(metric), "from": round(base, 4),
            "to": round(numbers["recent"], 4), "change": round(numbers["recent"] - base, 4),
            "change_in_sd": round(effect_sd, 2), "baseline": against,
            "respondents": [numbers["n_min"], numbers["n_max"]],
            "weeks_observed": numbers["weeks_observed"], "summary": summary}


def friction_context(panel, team_rows, start, end, min_group, min_share=0.1, lift=1.5):
    """Friction categories elevated for these teams during weeks start..end, highest share first."""
    categories, n_cum, hits_cum = _friction_totals(panel, min_group)
    if not categories:
        return []
    rows = list(team_rows)
    n_all, hits_all = n_cum[:, rows].sum(axis=1), hits_cum[:, rows].sum(axis=1)
    n_win, hits_win = n_all[:, end + 1] - n_all[:, start], hits_all[:, end + 1] - hits_all[:, start]
    found = []
    for c, category in enumerate(categories):
        if n_win[c] == 0:
            continue
        share = hits_win[c] / n_win[c]
        usual = hits_all[c, start] / n_all[c, start] if n_all[c, start] else 0.0
        if share >= min_share and share >= lift * usual:
            found.append((float(share), category))
    return [category for _, category in sorted(found, reverse=True)]


def _friction_totals(panel, min_group):
    """(categories, cumulative n, cumulative hits) over weeks, shaped (category, team, week + 1).

    Computed once per panel and minimum: every signal asks for its own window, and cumulative
    sums answer each window with two subtractions. Rows below k count as absent.
    """
    key = ("friction_totals", min_group)
    if key not in panel.cache:
        categories = [c for c in FRICTION_CATEGORIES if f"friction:{c}" in panel.blocks]
        shape = (len(categories), len(panel.teams), len(panel.weeks) + 1)
        n_cum, hits_cum = np.zeros(shape), np.zeros(shape)
        for c, category in enumerate(categories):
            block = panel.blocks[f"friction:{category}"]
            n = np.where(nan0(block.n) >= min_group, nan0(block.n), 0.0)
            n_cum[c, :, 1:] = np.cumsum(n, axis=1)
            hits_cum[c, :, 1:] = np.cumsum(n * nan0(block.mean), axis=1)
        panel.cache[key] = (categories, n_cum, hits_cum)
    return panel.cache[key]
