import numpy as np

from analysis.signals.episodes import SUSTAINED, EpisodeTracker, extract_episodes
from analysis.signals.params import DetectionParams


def feed(d_weeks, delta, h=7.5):
    tracker = EpisodeTracker(1, len(d_weeks), DetectionParams(cusum_h=h))
    for t, d in enumerate(d_weeks):
        tracker.step(t, np.array([d]), np.array([True]), np.array([delta]))
    return extract_episodes(tracker)


def test_lr_cusum_fires_when_the_target_shift_persists():
    episodes = feed([0.0] * 6 + [3.0] * 3, delta=3.0)  # 4.5 per week: passes 7.5 in week two
    assert len(episodes) == 1 and episodes[0].trigger == SUSTAINED
    assert episodes[0].start == 7 and episodes[0].origin == 6


def test_lr_cusum_stays_quiet_on_noise():
    rng = np.random.default_rng(1)
    assert feed(list(rng.normal(0, 1, 200)), delta=1.4) == []


def test_lr_cusum_needs_more_weeks_when_a_week_carries_less_evidence():
    strong = feed([0.0] * 4 + [2.0] * 8, delta=2.0)
    weak = feed([0.0] * 4 + [1.0] * 8, delta=1.0)
    assert strong and strong[0].start < 10 and weak == []
