"""What each panel metric means: its scale, which direction is worse, and a level that is "low".

Metric names follow DESIGN §6. A spec is looked up by name so the detector never hard-codes a
metric; unknown names are rejected when a panel is read.
"""
from dataclasses import dataclass

DRIVERS = (
    "role_clarity", "lead_quality", "feedback_loop", "communication", "information_tools",
    "shared_goals", "respect_trust", "recognition", "conflict_handling", "workload",
)
#: The text scorer's categories (analysis/scoring/data/friction/*.txt); a test keeps them in step.
FRICTION_CATEGORIES = (
    "lead_quality", "follow_up", "role_confusion", "blame", "credit", "communication_gap",
    "information_access", "competition", "passive_aggressive", "hostility", "overload",
    "feedback_gap", "misaligned_goals",
)
SENTIMENT_METRICS = ("comment_sentiment", "message_sentiment")


@dataclass(frozen=True)
class MetricSpec:
    """Scale and reading of one metric family."""

    family: str  #: driver, pair, enps, participation, sentiment, tension, friction
    low: float  #: smallest possible mean
    high: float  #: largest possible mean
    higher_is_better: bool
    norm: float  #: a team level beyond this (on the bad side) is a `low_level` concern
    sd_prior: float  #: typical sd of individual answers, used when a row has no sd
    proportion: bool = False  #: mean is a share of n (or of invited) rather than an average


_LIKERT = dict(low=1.0, high=5.0, higher_is_better=True, norm=3.0, sd_prior=0.95)
SPECS = {
    "driver": MetricSpec("driver", **_LIKERT),
    "pair": MetricSpec("pair", **_LIKERT),
    "enps": MetricSpec("enps", -100.0, 100.0, True, -20.0, 70.0),
    "participation": MetricSpec("participation", 0.0, 1.0, True, 0.4, 0.5, proportion=True),
    "sentiment": MetricSpec("sentiment", -1.0, 1.0, True, -0.15, 0.45),
    "tension": MetricSpec("tension", 0.0, 1.0, False, 0.6, 0.25),
    "friction": MetricSpec("friction", 0.0, 1.0, False, 0.35, 0.3, proportion=True),
}


def metric_family(metric: str) -> str | None:
    """Return the family of a metric name, or None when the name is not a known metric."""
    if metric in DRIVERS:
        return "driver"
    if metric in SENTIMENT_METRICS:
        return "sentiment"
    if metric in ("enps", "participation", "tension"):
        return metric
    prefix, _, rest = metric.partition(":")
    if prefix == "friction" and rest in FRICTION_CATEGORIES:
        return "friction"
    if prefix == "pair" and rest:
        return "pair"
    return None


def spec_for(metric: str) -> MetricSpec:
    """Return the MetricSpec of a metric name; KeyError for an unknown name."""
    family = metric_family(metric)
    if family is None:
        raise KeyError(metric)
    return SPECS[family]


def metric_label(metric: str) -> str:
    """A readable name for a metric, e.g. 'role clarity' or 'friction: blame'."""
    if metric == "enps":
        return "eNPS"
    prefix, sep, rest = metric.partition(":")
    if sep:
        word = "paired item" if prefix == "pair" else prefix
        return f"{word} '{rest.replace('_', ' ')}'"
    return metric.replace("_", " ")
