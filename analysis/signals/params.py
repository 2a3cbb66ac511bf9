"""Detection parameters, all with defaults, so a caller can tune without touching code."""
from dataclasses import dataclass


@dataclass(frozen=True)
class DetectionParams:
    """Thresholds of the signal detector; z values are in standard errors of a weekly mean."""

    min_group: int = 5  #: rows with fewer respondents are ignored entirely (privacy, DESIGN §3)
    small_group: int = 8  #: episodes whose median n is below this are at most "medium"
    min_history: int = 3  #: valid weeks a team needs before trend signals may fire
    cusum_k: float = 0.5  #: reference value of a classic CUSUM (one without a target shift), in s.e.
    cusum_h: float = 8.5  #: CUSUM decision limit, a log-likelihood ratio (run length ~ e^h weeks);
    #: drivers are many series per team, so their limit is the highest: lowering it from 8.5 to
    #: 7.5 cost 20 false alarms on calm teams for 2 more episodes found (seeds 7, 21, 22)
    target_sd: float = 0.5  #: level CUSUMs are tuned to a shift of this many sd of individual answers
    drop_z: float = 3.8  #: one week this far beyond the baseline is a sudden drop
    resolve_z: float = 0.5  #: a week within this many standard errors counts as normal
    resolve_weeks: int = 2  #: consecutive normal weeks that resolve a signal
    freeze_z: float = 1.5  #: weeks are clipped to this many standard errors before feeding the baseline
    forget: float = 0.9  #: weekly forgetting of the baseline (effective memory ~10 weeks)
    overdispersion: float = 1.5  #: variance inflation for shares of texts and participation
    low_z: float = 2.6  #: how sure (one-sided z) a recent level must be beyond its norm
    low_window: int = 4  #: weeks pooled for the low-level test
    low_margin_sd: float = 0.2  #: low_level needs the level beyond the norm by this many sd of answers
    gap_h: float = 4.5  #: CUSUM limit for perception gaps: few series per team, so a lower limit costs few false alarms
    polar_h: float = 4.0  #: CUSUM limit for polarization: its series rarely wander, so a lower limit costs few false alarms
    participation_h: float = 4.0  #: CUSUM limit for participation drops (one series per team)
    friction_h: float = 7.5  #: CUSUM limit for friction spikes (one series per category)
    gap_margin: float = 0.3  #: a perception-gap episode needs a gap at least this big (scale points)
    polar_target_ratio: float = 2.0  #: polarization CUSUM is tuned to answer variance growing this much
    polar_min_ratio: float = 0.3  #: variance / largest variance possible at that mean, for camps
    severity_medium: float = 0.5  #: change (in sd of individual answers) for "medium"
    severity_high: float = 1.0  #: change for "high"
    high_confidence: float = 0.9  #: below this confidence a signal is at most "medium"
    max_pairs: int = 400  #: above this many marketing×sales team pairs, compare to the other side pooled
    top_interventions: int = 3  #: intervention ids attached to each signal
