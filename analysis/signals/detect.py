"""detect_signals: run every detector over a panel and return readable, ranked Signals."""
from dataclasses import dataclass, field

import numpy as np

from analysis.interventions.catalogue import shipped_catalogue
from analysis.interventions.ranking import rank_interventions
from analysis.signals.baseline import nan0
from analysis.signals.episodes import SPIKE, extract_episodes
from analysis.signals.evidence import (change_evidence, episode_numbers, fmt, friction_context,
                                       people)
from analysis.signals.metrics import metric_label, spec_for
from analysis.signals.panel import MetricBlock, Panel
from analysis.signals.params import DetectionParams
from analysis.signals.shapes import gap_jobs, low_level_trackers, polarization_tracker
from analysis.signals.signal import Signal, confidence_from, severity_for
from analysis.signals.trend import LevelJob, run_levels

#: family -> (kind when one week jumps, kind when a sustained shift builds up)
LEVEL_KINDS = {
    "driver": ("drop", "decline"), "enps": ("drop", "decline"),
    "sentiment": ("sentiment_slide",) * 2, "tension": ("sentiment_slide",) * 2,
    "participation": ("participation_drop",) * 2, "friction": ("friction_spike",) * 2,
}
VERBS = {"decline": "slid", "drop": "fell", "sentiment_slide": "moved",
         "participation_drop": "fell", "friction_spike": "rose"}


def detect_signals(panel: Panel, params: DetectionParams = DetectionParams(),
                   catalogue=None) -> list[Signal]:
    """All signal episodes in a panel's history (open and resolved), with top interventions."""
    metrics = sorted(panel.blocks.items())
    tracked = _track_all(panel, metrics, params)
    signals = []
    for metric, block in metrics:
        signals.extend(_metric_signals(panel, metric, block, params, tracked[metric]))
    _attach_interventions(signals, catalogue, params.top_interventions)
    return sorted(signals, key=lambda s: (s.first_week, s.kind, s.teams, s.metric))


@dataclass
class _Tracked:
    """A metric's level traces (its own, or a paired item's two gap directions), its low-level
    tracker, and for a paired item the sides compared."""

    levels: list = field(default_factory=list)
    low: tuple | None = None  #: (tracker, pooled means, unit)
    gap: "_GapSides | None" = None


@dataclass
class _GapSides:
    """Marketing and sales sides of a paired item: team rows, names, pooled blocks, unit."""

    sides_m: list
    sides_s: list
    names: list
    mkt: MetricBlock
    sales: MetricBlock
    s_ind: float


def _track_all(panel, metrics, params):
    """{metric: _Tracked} for every metric, each detector run for all metrics at once.

    The level and low-level detectors step week by week, and at 1,000 teams a step costs per
    numpy call rather than per team: one loop over the rows of every metric is far cheaper than
    one per metric, and gives each row the same figures (see run_levels).
    """
    tracked, jobs, owners, lows = {}, [], [], []
    for metric, block in metrics:
        spec, tracked[metric] = spec_for(metric), _Tracked()
        if spec.family == "pair":
            tracked[metric].gap, new_jobs = _gap_sides(panel, block, params)
        else:
            new_jobs = [LevelJob(block, spec, h=_family_h(spec.family, params))]
            lows.append(metric)
        jobs += new_jobs
        owners += [metric] * len(new_jobs)
    for metric, trace in zip(owners, run_levels(jobs, params)):
        tracked[metric].levels.append(trace)
    found = low_level_trackers([(panel.blocks[m], spec_for(m)) for m in lows], params)
    for metric, low in zip(lows, found):
        tracked[metric].low = low
    return tracked


def _metric_signals(panel, metric, block, params, tracked):
    """Signals of every detector that applies to one metric."""
    spec = spec_for(metric)
    if spec.family == "pair":
        return _gap_signals(panel, metric, tracked, params)
    found = _level_signals(panel, metric, tracked.levels[0], spec, params)
    found += _low_signals(panel, metric, block, spec, tracked.low, params)
    if spec.family in ("driver", "enps"):
        found += _polar_signals(panel, metric, block, spec, params)
    return found


def _make(panel, kind, rows, teams, metric, ep, numbers, effect, conf, evidence, params):
    """Assemble a Signal for an episode, adding severity, weeks and friction context."""
    friction = friction_context(panel, rows, ep.start, ep.end, params.min_group)
    if metric.startswith("friction:"):
        own = metric.split(":", 1)[1]
        friction = [own] + [c for c in friction if c != own]
    evidence["friction_categories"] = friction
    evidence.setdefault("change_in_sd", round(effect, 2))
    open_now = ep.resolved_at is None
    return Signal(kind, list(teams), metric,
                  panel.weeks[-1] if open_now else panel.weeks[ep.resolved_at],
                  panel.weeks[ep.start], severity_for(effect, conf, numbers["median_n"], params),
                  conf, evidence, status="open" if open_now else "resolved")


def _level_signals(panel, metric, trace, spec, params):
    """decline / drop / sentiment_slide / participation_drop / friction_spike episodes."""
    out = []
    sign = 1.0 if spec.higher_is_better else -1.0
    for ep in extract_episodes(trace.tracker):
        i = ep.series
        nums = episode_numbers(trace.x[i], trace.n[i], trace.valid[i], ep)
        base = float(trace.baseline[i, ep.start])
        effect = max(0.0, sign * (base - nums["recent"]) / trace.noise.individual_sd)
        kind = LEVEL_KINDS[spec.family][0 if ep.trigger == SPIKE else 1]
        evidence = change_evidence(metric, base, nums, effect, int(trace.history[i, ep.start]),
                                   VERBS[kind])
        conf = confidence_from(trace.tracker.d_mat[i, ep.start:ep.end + 1])
        out.append(_make(panel, kind, [i], [panel.teams[i]], metric, ep, nums, effect, conf,
                         evidence, params))
    return out


def _family_h(family, params):
    """The CUSUM limit of a family: each spends its own share of the false-alarm budget."""
    return {"participation": params.participation_h, "friction": params.friction_h}.get(
        family, params.cusum_h)


def _low_signals(panel, metric, block, spec, low, params):
    """low_level episodes: a recent level beyond the metric's norm."""
    tracker, pooled, s_ind = low
    out = []
    for ep in extract_episodes(tracker):
        i = ep.series
        nums = episode_numbers(block.mean[i], block.n[i], ~np.isnan(tracker.d_mat[i]), ep)
        level = float(pooled[i, ep.end])
        effect = abs(spec.norm - level) / s_ind
        evidence = {"metric_label": metric_label(metric), "level": round(level, 4),
                    "norm": spec.norm, "respondents": [nums["n_min"], nums["n_max"]],
                    "weeks_observed": nums["weeks_observed"],
                    "summary": f"{metric_label(metric)} has stayed at {fmt(level, metric)}, beyond "
                               f"the {fmt(spec.norm, metric)} norm, among {people(nums)}"}
        conf = confidence_from(tracker.d_mat[i, ep.start:ep.end + 1])
        out.append(_make(panel, "low_level", [i], [panel.teams[i]], metric, ep, nums, effect,
                         conf, evidence, params))
    return out


def _polar_signals(panel, metric, block, spec, params):
    """polarization episodes: answers spreading into camps."""
    tracker, base_sd, s_ind = polarization_tracker(block, spec, params)
    out = []
    for ep in extract_episodes(tracker):
        i = ep.series
        nums = episode_numbers(block.sd[i], block.n[i], ~np.isnan(tracker.d_mat[i]), ep)
        base = float(base_sd[i, ep.start])
        effect = max(0.0, (nums["recent"] - base) / s_ind) * 2  # sd grows slower than camps split
        evidence = {"metric_label": metric_label(metric), "sd_from": round(base, 3),
                    "sd_to": round(nums["recent"], 3), "mean": round(float(block.mean[i, ep.end]), 3),
                    "respondents": [nums["n_min"], nums["n_max"]],
                    "weeks_observed": nums["weeks_observed"],
                    "summary": f"answers on {metric_label(metric)} spread out (sd {base:.2f} → "
                               f"{nums['recent']:.2f}) among {people(nums)}: the team may be "
                               "splitting into camps"}
        conf = confidence_from(tracker.d_mat[i, ep.start:ep.end + 1])
        out.append(_make(panel, "polarization", [i], [panel.teams[i]], metric, ep, nums, effect,
                         conf, evidence, params))
    return out


def _gap_sides(panel, block, params):
    """The sides a paired item compares and the level jobs of their gaps (None and no jobs when
    a department has no answers)."""
    sides_m, sides_s, names = _pairs(panel, block, params)
    if not names:
        return None, []
    mkt, sales = pool_rows(block, sides_m), pool_rows(block, sides_s)
    jobs, s_ind = gap_jobs(mkt, sales, params)
    return _GapSides(sides_m, sides_s, names, mkt, sales, s_ind), jobs


def _gap_signals(panel, metric, tracked, params):
    """perception_gap episodes between marketing and sales teams on one paired item."""
    if tracked.gap is None:
        return []
    sides_m, sides_s, names = tracked.gap.sides_m, tracked.gap.sides_s, tracked.gap.names
    mkt, sales, s_ind = tracked.gap.mkt, tracked.gap.sales, tracked.gap.s_ind
    out = []
    for trace in tracked.levels:
        for ep in extract_episodes(trace.tracker):
            p = ep.series
            nums = episode_numbers(trace.x[p], trace.n[p], trace.valid[p], ep)
            if _peak_gap(trace.x[p], trace.valid[p], ep) < params.gap_margin:
                continue
            base = float(trace.baseline[p, ep.start])
            evidence = _gap_evidence(metric, mkt, sales, p, ep, nums, names[p], base)
            conf = confidence_from(trace.tracker.d_mat[p, ep.start:ep.end + 1])
            out.append(_make(panel, "perception_gap", sides_m[p] + sides_s[p], names[p], metric,
                             ep, nums, abs(nums["recent"] - base) / s_ind, conf, evidence, params))
    return out


def _peak_gap(gaps, valid, ep):
    """Largest |gap| over two consecutive observed weeks of an episode.

    Not the episode's last weeks: a resolved episode ends on the normal week that began its
    resolution, so judging the margin there dropped gaps that had been wide for weeks.
    """
    values = gaps[ep.start:ep.end + 1][valid[ep.start:ep.end + 1]]
    if values.size == 0:
        return 0.0
    pairs = (values[1:] + values[:-1]) / 2 if values.size > 1 else values
    return float(np.max(np.abs(pairs)))


def _gap_evidence(metric, mkt, sales, p, ep, nums, names, base):
    """Both sides' recent means and the gap, for a perception gap."""
    m_mean, s_mean = _recent_mean(mkt, p, ep), _recent_mean(sales, p, ep)
    return {"metric_label": metric_label(metric), "marketing_mean": round(float(m_mean), 3),
            "sales_mean": round(float(s_mean), 3), "gap": round(nums["recent"], 3),
            "usual_gap": round(base, 3),
            "respondents": [nums["n_min"], nums["n_max"]],
            "weeks_observed": nums["weeks_observed"],
            "summary": f"on {metric_label(metric)}, {names[0]} answers {m_mean:.2f} and "
                       f"{names[1]} {s_mean:.2f}: a gap of {nums['recent']:+.2f} points, usually "
                       f"{base:+.2f} "
                       f"(at least {nums['n_min']} people on each side)"}


def _recent_mean(side, p, ep):
    """Mean of the last two observed weeks of an episode (paired items are not asked weekly)."""
    values = side.mean[p, ep.start:ep.end + 1]
    values = values[np.isfinite(values)][-2:]
    return float(values.mean()) if values.size else float("nan")


def _pairs(panel, block, params):
    """Team rows to compare (marketing side, sales side, names); each side a list of rows to pool.

    Every marketing team meets every sales team; above `max_pairs` pairs each team is compared
    with the other department pooled instead, which keeps large organisations linear.
    """
    has = ~np.all(np.isnan(block.mean), axis=1)
    mkt = [i for i, d in enumerate(panel.departments) if d == "marketing" and has[i]]
    sales = [i for i, d in enumerate(panel.departments) if d == "sales" and has[i]]
    if len(mkt) * len(sales) <= params.max_pairs:
        pairs = [(m, s) for m in mkt for s in sales]
        return ([[m] for m, _ in pairs], [[s] for _, s in pairs],
                [(panel.teams[m], panel.teams[s]) for m, s in pairs])
    side_m = [[m] for m in mkt] + [mkt] * len(sales)
    side_s = [sales] * len(mkt) + [[s] for s in sales]
    names = [(panel.teams[m], "sales (all teams)") for m in mkt]
    names += [("marketing (all teams)", panel.teams[s]) for s in sales]
    return side_m, side_s, names


def pool_rows(block, groups) -> MetricBlock:
    """One row per group of team rows: n-weighted mean, pooled within-team sd, summed n."""
    # The pooled other side is one list repeated for every team: computed once per list object
    # (keying on its content made a tuple of hundreds of rows for every team). The cache holds
    # the list too, so its id cannot pass to another list while the cache is in use.
    cache = {}
    rows = []
    for group in groups:
        if id(group) not in cache:
            cache[id(group)] = (group, _pool_group(block, group))
        rows.append(cache[id(group)][1])
    return MetricBlock(*(np.stack([r[f] for r in rows]) for f in range(4)))


def _pool_group(block, group):
    """Pool the rows in `group` week by week (a single row is returned as it is)."""
    if len(group) == 1:
        i = group[0]
        return block.mean[i], block.sd[i], block.n[i], block.invited[i]
    n = nan0(block.n[group]) * ~np.isnan(block.mean[group])
    total = n.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (n * nan0(block.mean[group])).sum(axis=0) / total
        df = np.maximum(n - 1, 0) * ~np.isnan(block.sd[group])
        sd = np.sqrt((df * nan0(block.sd[group]) ** 2).sum(axis=0) / df.sum(axis=0))
    return mean, sd, np.where(total > 0, total, np.nan), np.full(total.shape, np.nan)


def _attach_interventions(signals, catalogue, top):
    """Fill each signal's `interventions` with the ids of its best-ranked catalogue entries."""
    catalogue = shipped_catalogue() if catalogue is None else catalogue
    for signal in signals:
        signal.interventions = [e.id for e, _, _ in rank_interventions(signal, catalogue)[:top]]
