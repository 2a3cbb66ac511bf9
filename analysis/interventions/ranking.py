"""rank_interventions: which catalogue entries best answer a given signal, and why.

Scoring is additive and explainable: matching the signal kind, matching the metric (as a driver,
a friction category or a measured metric), and each friction category named in the signal's
evidence count; effort only breaks near-ties (cheap first for mild signals, heavy for severe).
"""
KIND_WEIGHT, METRIC_WEIGHT, MEASURE_WEIGHT = 3.0, 3.0, 1.0
FRICTION_WEIGHTS = (2.0, 1.0, 0.5)  #: first named category counts most
KIND_WORDS = {"decline": "a decline", "drop": "a sudden drop", "perception_gap": "a perception gap",
              "friction_spike": "a friction spike", "sentiment_slide": "a sentiment slide",
              "polarization": "polarization", "participation_drop": "a participation drop",
              "low_level": "a persistently low level"}


def metric_label(metric):
    """Readable metric name for reasons ('role clarity', 'friction: blame')."""
    prefix, sep, rest = metric.partition(":")
    if sep:
        return f"{prefix} '{rest.replace('_', ' ')}'"
    return "eNPS" if metric == "enps" else metric.replace("_", " ")


def _field(signal, name, default=None):
    """Read a field from a Signal object or a plain dict."""
    if isinstance(signal, dict):
        return signal.get(name, default)
    return getattr(signal, name, default)


def rank_interventions(signal, catalogue) -> list[tuple]:
    """Return [(intervention, score, reason)] best first, for entries that answer the signal."""
    ranked = []
    for entry in catalogue:
        score, reasons = _score(signal, entry)
        if score > 0:
            ranked.append((entry, round(score, 2), "; ".join(reasons)))
    return sorted(ranked, key=lambda r: (-r[1], r[0].id))


def _score(signal, entry):
    """Score and reason fragments of one entry for one signal."""
    kind, metric = _field(signal, "kind"), _field(signal, "metric", "")
    score, reasons = 0.0, []
    metric_hit = _metric_match(metric, entry)
    if kind in entry.signal_kinds:
        score += KIND_WEIGHT
        reasons.append(f"answers {KIND_WORDS.get(kind, kind)}"
                       + (f" in {metric_label(metric)}" if metric_hit else ""))
    if metric_hit:
        score += METRIC_WEIGHT
        if kind not in entry.signal_kinds:
            reasons.append(f"targets {metric_label(metric)}")
    elif metric in entry.measure:
        score += MEASURE_WEIGHT
        reasons.append(f"tracks {metric_label(metric)}")
    score, reasons = _friction_score(signal, entry, score, reasons)
    return (score + _effort_bonus(signal, entry) if score > 0 else 0.0), reasons


def _metric_match(metric, entry):
    """True when the metric is one of the entry's drivers or friction categories."""
    prefix, _, rest = metric.partition(":")
    if prefix == "friction":
        return rest in entry.friction_categories
    return metric in entry.drivers


def _friction_score(signal, entry, score, reasons):
    """Add weight for friction categories behind the signal that the entry answers."""
    named = list((_field(signal, "evidence") or {}).get("friction_categories", []))
    hits = [c for c in named[:len(FRICTION_WEIGHTS)] if c in entry.friction_categories]
    score += sum(FRICTION_WEIGHTS[named.index(c)] for c in hits)
    if hits:
        words = " and ".join(c.replace("_", " ") for c in hits)
        reasons.append(f"targets {words} wording")
    return score, reasons


def _effort_bonus(signal, entry):
    """Tie-breaker: cheap steps for mild signals, heavier ones when severity is high."""
    severe = _field(signal, "severity") == "high"
    prefer = "high" if severe else "low"
    return 0.3 if entry.effort == prefer else (0.1 if entry.effort == "medium" else 0.0)
