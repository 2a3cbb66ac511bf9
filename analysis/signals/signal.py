"""The Signal record and the rules that turn an episode's numbers into severity and confidence."""
from dataclasses import asdict, dataclass, field

import numpy as np

SEVERITIES = ("low", "medium", "high")
KINDS = ("decline", "drop", "perception_gap", "friction_spike", "sentiment_slide",
         "polarization", "participation_drop", "low_level")


@dataclass
class Signal:
    """One tension signal: an episode of one kind on one metric of one team (or team pair)."""

    kind: str
    teams: list[str]
    metric: str
    week: str  #: latest week assessed: the panel's last week while open, else the resolving week
    first_week: str  #: week the signal first fired
    severity: str
    confidence: float
    evidence: dict = field(default_factory=dict)
    interventions: list[str] = field(default_factory=list)
    status: str = "open"  #: "open" or "resolved"

    @property
    def key(self) -> str:
        """Stable identity across weeks: kind, teams and metric."""
        return signal_key(self.kind, self.teams, self.metric)

    def to_dict(self) -> dict:
        """Plain JSON-ready dict (the DESIGN §6 fields plus status)."""
        return asdict(self)


def signal_key(kind, teams, metric) -> str:
    """The lifecycle key of a signal given its parts."""
    return f"{kind}|{'+'.join(sorted(teams))}|{metric}"


def severity_for(effect_sd, confidence, median_n, params) -> str:
    """Severity from the size of the change (in sd of answers), capped for small or unsure groups."""
    level = int(effect_sd >= params.severity_medium) + int(effect_sd >= params.severity_high)
    if confidence < params.high_confidence or median_n < params.small_group:
        level = min(level, 1)
    return SEVERITIES[level]


def confidence_from(d_values) -> float:
    """Probability-like confidence from the last few standardised deviations of an episode."""
    d = np.asarray([v for v in d_values if np.isfinite(v)][-3:])
    if d.size == 0:
        return 0.5
    # scipy is imported on first use: it costs seconds of import for every process that loads
    # the web app (each gunicorn worker, each cron command) while few requests need it.
    from scipy import special

    return round(float(special.ndtr(d.sum() / np.sqrt(d.size))), 3)
