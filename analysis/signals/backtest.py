"""Backtest: run the detector on simulated panels and score it against the injected truth.

An injected episode counts as found when a signal of the same kind on the same team(s) and
metric is open at some point between onset and two weeks after the episode ends ("lenient"
also accepts any kind on that team and metric). Delay is first signal week minus onset (0 when
the signal was already open). False alarms are signals on calm control teams only, reported per
10 team-quarters (13 weeks) of calm teams' observed weeks.
"""
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.signals.detect import detect_signals
from analysis.signals.panel import panel_from_rows, read_panel_rows, write_panel
from analysis.signals.params import DetectionParams
from analysis.signals.simulate import Episode, episode_dict, simulate_org
from analysis.signals.weeks import week_number

GRACE_WEEKS = 2
SIZE_BINS = ((0.0, 0.5, "<0.5 sd"), (0.5, 1.0, "0.5–1 sd"), (1.0, 99.0, "≥1 sd"))


@dataclass
class Scenario:
    """One organisation's panel rows, injected episodes and calm teams."""

    org: str
    rows: list
    episodes: list
    calm: list
    weeks: int


@dataclass
class Outcome:
    """Per-episode result of a backtest, and the false-alarm tally."""

    episodes: list = field(default_factory=list)  #: (Episode, found, lenient, delay)
    false_alarms: int = 0
    calm_quarters: float = 0.0


def generate(n_orgs=30, seed=7, teams=8, weeks=52) -> list[Scenario]:
    """Simulate `n_orgs` organisations in memory."""
    rng = np.random.default_rng(seed)
    out = []
    for k in range(n_orgs):
        rows, episodes, calm = simulate_org(f"org{k:02d}", rng, teams, weeks)
        out.append(Scenario(f"org{k:02d}", rows, episodes, calm, weeks))
    return out


def write_scenarios(scenarios, directory) -> None:
    """Write each scenario as ORG.csv plus one truth.jsonl sidecar for all of them."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "truth.jsonl", "w", encoding="utf-8") as truth:
        for sc in scenarios:
            write_panel(sc.rows, directory / f"{sc.org}.csv")
            for ep in sc.episodes:
                truth.write(json.dumps({"type": "episode", **episode_dict(ep)}) + "\n")
            truth.write(json.dumps({"type": "calm", "org": sc.org, "teams": sc.calm,
                                    "weeks": sc.weeks}) + "\n")


def read_scenarios(directory) -> list[Scenario]:
    """Read scenarios written by write_scenarios."""
    directory, by_org = Path(directory), {}
    for line in (directory / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        sc = by_org.setdefault(item["org"], Scenario(item["org"], [], [], [], 0))
        if item.pop("type") == "episode":
            sc.episodes.append(Episode(**item))
        else:
            sc.calm, sc.weeks = item["teams"], item["weeks"]
    for sc in by_org.values():
        sc.rows = read_panel_rows(directory / f"{sc.org}.csv")
    return list(by_org.values())


def run_backtest(scenarios, params=DetectionParams()) -> Outcome:
    """Detect on every scenario and match signals to the truth."""
    outcome = Outcome()
    for sc in scenarios:
        signals = detect_signals(panel_from_rows(sc.rows), params)
        outcome.episodes += [_match(ep, signals) for ep in sc.episodes]
        calm = set(sc.calm)
        outcome.false_alarms += sum(1 for s in signals if set(s.teams) <= calm)
        outcome.calm_quarters += len(calm) * sc.weeks / 13
    return outcome


def _match(ep, signals):
    """(episode, found, found leniently, delay in weeks or None)."""
    onset, end = week_number(ep.onset_week), week_number(ep.end_week) + GRACE_WEEKS
    same = [s for s in signals if s.metric == ep.metric and set(ep.teams) <= set(s.teams)
            and week_number(s.first_week) <= end and week_number(s.week) >= onset]
    exact = [s for s in same if s.kind == ep.kind]
    first = min((week_number(s.first_week) for s in exact), default=None)
    delay = None if first is None else max(0, first - onset)
    return ep, bool(exact), bool(same), delay


def _cell(results):
    """'found/total' text for a group of episode results (exact kind)."""
    return f"{sum(r[1] for r in results)}/{len(results)}" if results else "–"


def _recall(results, index=1):
    """Share of results found (index 1 exact, 2 lenient); NaN when empty."""
    return sum(r[index] for r in results) / len(results) if results else float("nan")


@dataclass(frozen=True)
class EpisodeClass:
    """Episodes at least this big, this long, in teams at least this large."""

    min_effect_sd: float
    min_weeks: int
    min_team: int

    def __contains__(self, ep) -> bool:
        return (ep.effect_sd >= self.min_effect_sd and ep.duration >= self.min_weeks
                and ep.team_size >= self.min_team)

    @property
    def label(self) -> str:
        """How the report names the class."""
        return f"≥{self.min_effect_sd:g} sd, ≥{self.min_weeks} weeks, teams ≥{self.min_team}"


#: The class issue 5's recall target speaks of.
TARGET = EpisodeClass(0.5, 3, 8)
#: Longer or larger episodes, reported beside the target so that a restated target can be chosen
#: knowing what each would mean (the target's 0.9 is beyond the oracle bound; see oracle.py).
WIDER_CLASSES = (EpisodeClass(0.5, 5, 8), EpisodeClass(0.5, 6, 12), EpisodeClass(1.0, 5, 8))


def in_target(ep) -> bool:
    """The class the targets speak of: ≥0.5 sd, lasting ≥3 weeks, teams of ≥8."""
    return ep in TARGET


def format_report(outcome: Outcome) -> str:
    """The backtest table and headline figures as printable text."""
    lines = [f"{'kind':<20}" + "".join(f"{label:>12}" for *_, label in SIZE_BINS)
             + f"{'all':>10}{'lenient':>9}"]
    kinds = sorted({r[0].kind for r in outcome.episodes})
    for kind in kinds:
        mine = [r for r in outcome.episodes if r[0].kind == kind]
        cells = [_cell([r for r in mine if lo <= r[0].effect_sd < hi]) for lo, hi, _ in SIZE_BINS]
        lines.append(f"{kind:<20}" + "".join(f"{c:>12}" for c in cells)
                     + f"{_recall(mine):>10.2f}{_recall(mine, 2):>9.2f}")
    return "\n".join(lines + [""] + _headline(outcome))


def _headline(outcome):
    """Target-class recall, false alarms and delay."""
    target = [r for r in outcome.episodes if in_target(r[0])]
    delays = [r[3] for r in outcome.episodes if r[3] is not None]
    rate = 10 * outcome.false_alarms / outcome.calm_quarters if outcome.calm_quarters else 0.0
    by_size = [(label, [r for r in outcome.episodes if lo <= r[0].team_size <= hi])
               for label, lo, hi in (("5–7", 5, 7), ("8–15", 8, 15), ("16–40", 16, 40))]
    return [
        f"recall, effects ≥0.5 sd lasting ≥3 weeks in teams ≥8: {_recall(target):.2f} exact kind, "
        f"{_recall(target, 2):.2f} any kind  (n={len(target)})",
        "recall by team size: " + ", ".join(f"{label}: {_recall(rs):.2f} (n={len(rs)})"
                                            for label, rs in by_size),
        f"false alarms per 10 calm team-quarters: {rate:.2f}  ({outcome.false_alarms} signals "
        f"over {outcome.calm_quarters:.0f} calm team-quarters)",
        f"median delay from onset to first signal: "
        f"{np.median(delays) if delays else float('nan'):.1f} weeks (n={len(delays)})",
        "recall of longer or larger episodes: " + ", ".join(
            f"{cls.label}: {_recall(mine):.2f} (n={len(mine)})"
            for cls, mine in ((c, [r for r in outcome.episodes if r[0] in c])
                              for c in WIDER_CLASSES)),
    ]
