"""The backtest's oracle: a test told each episode's onset finds clear episodes and not noise."""
import numpy as np

from analysis.signals.backtest import TARGET, EpisodeClass, Scenario, in_target
from analysis.signals.oracle import episode_z, format_oracle, oracle_recall, series_by_team_metric
from analysis.signals.simulate import Episode
from analysis.signals.weeks import add_weeks

from .helpers import START, noisy, series

WEEKS = 30


def episode(kind, teams, metric, onset=18, duration=5, effect=1.0, size=12):
    return Episode("org", kind, teams, metric, add_weeks(START, onset),
                   add_weeks(START, onset + duration - 1), effect, duration, size)


def shifted(level, shift, seed, onset=18, duration=5, n=12):
    means = noisy(level, WEEKS, n, seed=seed)
    for k in range(onset, onset + duration):
        means[k] += shift
    return means


def test_a_clear_decline_is_found_and_an_unchanged_series_is_not():
    rows = (series("hit", "role_clarity", shifted(3.9, -0.6, seed=1), n=12)
            + series("calm", "role_clarity", shifted(3.9, 0.0, seed=2), n=12))
    hit, calm = (episode("decline", [team], "role_clarity") for team in ("hit", "calm"))
    found = oracle_recall([Scenario("org", rows, [hit, calm], [], WEEKS)], alpha=0.05)
    assert found == {"decline": (1, 2)}
    observed = series_by_team_metric(rows, 5)
    assert episode_z(hit, observed) > 3 > abs(episode_z(calm, observed))


def test_friction_counts_a_rise_and_a_gap_counts_the_injected_direction():
    friction = series("t", "friction:blame", shifted(0.05, 0.15, seed=3, n=40), n=40)
    marketing = series("m", "pair:acts_on_handover", shifted(3.8, -0.4, seed=4), n=12)
    sales = series("s", "pair:acts_on_handover", shifted(3.8, 0.4, seed=5), n=12,
                   department="sales")
    episodes = [episode("friction_spike", ["t"], "friction:blame"),
                episode("perception_gap", ["m", "s"], "pair:acts_on_handover")]
    found = oracle_recall([Scenario("org", friction + marketing + sales, episodes, [], WEEKS)])
    assert found == {"friction_spike": (1, 1), "perception_gap": (1, 1)}


def test_polarization_reads_the_spread_and_small_rows_are_ignored():
    sds = list(0.9 + np.random.default_rng(7).normal(0, 0.15, WEEKS))
    sds[18:23] = [1.8] * 5
    rows = series("t", "workload", [3.6] * WEEKS, n=12, sd=sds) + series("tiny", "workload", shifted(3.9, -2.0, seed=6), n=3)
    episodes = [episode("polarization", ["t"], "workload", effect=2.0),
                episode("decline", ["tiny"], "workload")]
    found = oracle_recall([Scenario("org", rows, episodes, [], WEEKS)])
    assert found == {"decline": (0, 1), "polarization": (1, 1)}
    assert "0.50 of the target class (n=2)" in format_oracle(found)


def test_episode_classes_bound_effect_duration_and_team_size_from_below():
    assert in_target(episode("decline", ["t"], "workload", duration=3, effect=0.5, size=8))
    for smaller in ({"duration": 2}, {"effect": 0.49}, {"size": 7}):
        assert not in_target(episode("decline", ["t"], "workload", **{"duration": 3, "effect": 0.5,
                                                                        "size": 8, **smaller}))
    longer = EpisodeClass(0.5, 5, 8)
    assert episode("drop", ["t"], "workload", duration=5) in longer
    assert episode("drop", ["t"], "workload", duration=4) not in longer
    assert TARGET.label == "≥0.5 sd, ≥3 weeks, teams ≥8"


def test_the_oracle_can_be_asked_about_another_class():
    rows = (series("short", "role_clarity", shifted(3.9, -0.8, seed=1, duration=3), n=12)
            + series("long", "role_clarity", shifted(3.9, -0.8, seed=2, duration=6), n=12))
    episodes = [episode("decline", ["short"], "role_clarity", duration=3),
                episode("decline", ["long"], "role_clarity", duration=6)]
    scenario = [Scenario("org", rows, episodes, [], WEEKS)]
    assert oracle_recall(scenario)["decline"][1] == 2
    longer = EpisodeClass(0.5, 5, 8)
    assert oracle_recall(scenario, episode_class=longer) == {"decline": (1, 1)}
    assert "of episodes ≥0.5 sd, ≥5 weeks, teams ≥8 (n=1)" in format_oracle(
        oracle_recall(scenario, episode_class=longer), 0.05, longer)
