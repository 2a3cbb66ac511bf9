"""Synthetic panels with known tension episodes, for backtesting the detector.

Each organisation has marketing and sales teams of 5–40 people. Every week each person answers
(with a team-specific, week-varying participation) a rotating set of 1–5 driver items, a 0–10
recommend item and two paired items about the other side; latent answers are team level + a
persistent personal offset + noise, rounded to the scale, then aggregated to mean/sd/n exactly as
the real rollup does. Team levels drift slowly (AR(1), no seasonality). Texts (comments and
shared messages) get VADER-like sentiment, a tension score and friction categories at
team-specific, overdispersed rates. Episodes of each kind are injected into some teams with a
recorded onset; the other teams are calm controls.
"""
from dataclasses import asdict, dataclass

import numpy as np

from analysis.signals.metrics import DRIVERS, FRICTION_CATEGORIES
from analysis.signals.panel import PanelRow
from analysis.signals.simulate_team import TeamSimulator
from analysis.signals.weeks import add_weeks

PAIR_ITEMS = ("acts_on_handover", "shares_useful_info")
KIND_SETUP = {  # kind -> (metric chooser, effect-size range in sd of individual answers)
    "decline": ("driver", (0.3, 1.2)), "drop": ("driver", (0.8, 2.0)),
    "perception_gap": ("pair", (0.4, 1.5)), "friction_spike": ("friction", (0.3, 1.5)),
    "sentiment_slide": ("message_sentiment", (0.3, 1.2)), "polarization": ("driver", (1.5, 3.0)),
    "participation_drop": ("participation", (0.3, 1.2)), "low_level": ("driver", (0.3, 1.0)),
}


@dataclass
class Episode:
    """An injected episode (the truth a backtest scores against)."""

    org: str
    kind: str
    teams: list[str]
    metric: str
    onset_week: str
    end_week: str  #: last affected week
    effect_sd: float
    duration: int
    team_size: int  #: people in the team (for a perception gap, in the smaller of the two)


@dataclass
class Team:
    """A simulated team's fixed traits."""

    name: str
    department: str
    size: int
    participation: float
    rotation: int


def simulate_org(org: str, rng, n_teams=8, weeks=52, start="2025-W01", episode_share=0.5):
    """Return (rows, episodes, calm team names) for one simulated organisation."""
    teams = [_team(org, i, rng) for i in range(n_teams)]
    week_labels = [add_weeks(start, k) for k in range(weeks)]
    episodes = _plan_episodes(org, teams, rng, weeks, week_labels, episode_share)
    rows = []
    for team in teams:
        rows += _team_rows(team, rng, week_labels, [e for e in episodes if team.name in e.teams])
    involved = {t for e in episodes for t in e.teams}
    return rows, episodes, [t.name for t in teams if t.name not in involved]


def _team(org, i, rng):
    """Random traits of one team; sizes skewed small as real teams are."""
    size = int(np.clip(round(rng.lognormal(np.log(10), 0.55)), 5, 40))
    dept = "marketing" if i % 2 == 0 else "sales"
    return Team(f"{org}-{dept[:3]}-{i}", dept, size, float(rng.uniform(0.6, 0.95)),
                int(rng.choice([1, 1, 2])))


def _plan_episodes(org, teams, rng, weeks, labels, share):
    """Pick teams, kinds, onsets, durations and effect sizes for this organisation's episodes."""
    episodes, busy = [], set()
    for team in teams:
        if team.name in busy or rng.random() > share:
            continue
        kind = str(rng.choice(list(KIND_SETUP)))
        episode = _episode(org, kind, team, teams, busy, rng, weeks, labels)
        if episode:
            episodes.append(episode)
            busy.update(episode.teams)
    return episodes


def _episode(org, kind, team, teams, busy, rng, weeks, labels):
    """One episode of `kind` on `team` (and a partner team for a perception gap)."""
    chooser, (lo, hi) = KIND_SETUP[kind]
    members, size = [team.name], team.size
    if kind == "perception_gap":
        other = [t for t in teams if t.department != team.department and t.name not in busy]
        if not other:
            return None
        members.append(other[0].name)
        size = min(size, other[0].size)  # a gap is only as well measured as its smaller side
        if team.department == "sales":
            members.reverse()
    metric = _metric(chooser, rng)
    onset = 0 if kind == "low_level" else int(rng.integers(10, weeks - 12))
    duration = weeks if kind == "low_level" else int(rng.integers(3, 11))
    end = min(onset + duration, weeks) - 1
    return Episode(org, kind, members, metric, labels[onset], labels[end],
                   round(float(rng.uniform(lo, hi)), 2), end - onset + 1, size)


def _metric(chooser, rng):
    """A concrete metric name for a metric chooser."""
    if chooser == "driver":
        return str(rng.choice(DRIVERS))
    if chooser == "pair":
        return f"pair:{rng.choice(PAIR_ITEMS)}"
    if chooser == "friction":
        return f"friction:{rng.choice(FRICTION_CATEGORIES)}"
    return chooser


def _team_rows(team, rng, labels, episodes):
    """All panel rows of one team over the weeks (survey items, participation and texts)."""
    return TeamSimulator(team, rng, labels, episodes).rows()


def episode_dict(episode: Episode) -> dict:
    """An Episode as a JSON-ready dict."""
    return asdict(episode)


__all__ = ["Episode", "Team", "PanelRow", "simulate_org", "episode_dict", "PAIR_ITEMS"]
