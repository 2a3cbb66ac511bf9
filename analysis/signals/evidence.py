"""Readable evidence for a signal: from what to what, against which baseline, among how many."""
import numpy as np

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
    found = []
    for category in FRICTION_CATEGORIES:
        block = panel.blocks.get(f"friction:{category}")
        if block is not None:
            share, usual = _shares(block, team_rows, start, end, min_group)
            if share is not None and share >= min_share and share >= lift * usual:
                found.append((share, category))
    return [category for _, category in sorted(found, reverse=True)]


def _shares(block, rows, start, end, min_group):
    """n-weighted share in the window and before it (usual), using only rows at or above k."""
    n = np.where(np.nan_to_num(block.n[rows]) >= min_group, np.nan_to_num(block.n[rows]), 0.0)
    hits = n * np.nan_to_num(block.mean[rows])
    window, before = slice(start, end + 1), slice(0, start)
    if n[:, window].sum() == 0:
        return None, 0.0
    share = hits[:, window].sum() / n[:, window].sum()
    base_n = n[:, before].sum()
    usual = hits[:, before].sum() / base_n if base_n else 0.0
    return float(share), float(usual)
