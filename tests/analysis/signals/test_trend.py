"""Detection building blocks: weekly detectors run for many metrics at once, deviations, pooling."""
import numpy as np

from analysis.signals.bench import synthetic_panel
from analysis.signals.episodes import EpisodeTracker
from analysis.signals.metrics import spec_for
from analysis.signals.params import DetectionParams
from analysis.signals.shapes import low_level_trackers
from analysis.signals.trend import LevelJob, run_levels

#: averages read both ways (a driver, tension) and shares both ways (participation, friction)
METRICS = ["role_clarity", "tension", "participation", "friction:blame", "enps", "workload"]


def troubled_panel():
    """A calm synthetic panel in which six teams slide for a while in every metric, with gaps."""
    panel = synthetic_panel(40, weeks=30, seed=2)
    for metric in METRICS:
        block, spec = panel.blocks[metric], spec_for(metric)
        worse = -0.3 if spec.higher_is_better else 0.3
        shifted = block.mean[:6, 12:18] + worse * (spec.high - spec.low)
        block.mean[:6, 12:18] = np.clip(shifted, spec.low, spec.high)
        block.mean[6:9, 20] = np.nan
    return panel


def assert_same_tracker(tracker, alone):
    for name in ("d_mat", "active_mat", "trigger_mat", "origin_mat", "cusum", "nobs"):
        np.testing.assert_array_equal(getattr(tracker, name), getattr(alone, name))


def test_level_jobs_run_together_get_what_each_gets_alone():
    panel, params = troubled_panel(), DetectionParams()
    jobs = [LevelJob(panel.blocks[m], spec_for(m), h=h)
            for m, h in zip(METRICS, [None, 6.0, 4.0, 7.5, None, 3.0])]
    jobs.append(LevelJob(panel.blocks["workload"], spec_for("workload"), unit=0.5))
    together = run_levels(jobs, params)
    assert sum(int(trace.tracker.active_mat.any(axis=1).sum()) for trace in together) >= 6 * 4
    for job, trace in zip(jobs, together):
        alone = run_levels([job], params)[0]
        assert trace.x is job.block.mean and trace.noise == alone.noise
        for name in ("valid", "baseline", "history"):
            np.testing.assert_array_equal(getattr(trace, name), getattr(alone, name))
        assert_same_tracker(trace.tracker, alone.tracker)


def test_low_level_trackers_run_together_get_what_each_gets_alone():
    panel, params = troubled_panel(), DetectionParams()
    blocks = [(panel.blocks[m], spec_for(m)) for m in METRICS]
    together = low_level_trackers(blocks, params)
    assert any(tracker.active_mat.any() for tracker, _, _ in together)
    for block, (tracker, pooled, s_ind) in zip(blocks, together):
        [(alone, alone_pooled, alone_s_ind)] = low_level_trackers([block], params)
        np.testing.assert_array_equal(pooled, alone_pooled)
        assert s_ind == alone_s_ind
        assert_same_tracker(tracker, alone)
    assert low_level_trackers([], params) == []


def test_tracker_rows_are_views_of_those_series_and_their_limits():
    tracker = EpisodeTracker(5, 3, DetectionParams(), h=np.arange(5.0))
    tracker.step(0, np.array([9.0, 0.0, 9.0, 0.0, 9.0]), np.ones(5, bool), np.ones(5))
    part = tracker.rows(1, 4)
    assert list(part.h) == [1.0, 2.0, 3.0] and part.d_mat.shape == (3, 3)
    np.testing.assert_array_equal(part.cusum, tracker.cusum[1:4])
    np.testing.assert_array_equal(part.d_mat, tracker.d_mat[1:4])
    assert np.shares_memory(part.active_mat, tracker.active_mat)


def test_deviation_is_worked_out_for_valid_rows_only_and_is_the_same_there():
    from analysis.signals.trend import deviation

    rng = np.random.default_rng(4)
    x, mu = rng.uniform(0, 1, 300), rng.uniform(0.01, 0.99, 300)
    var, valid = rng.uniform(0.0005, 0.05, 300), rng.random(300) < 0.3
    everywhere = np.ones(300, bool)
    for metric in ("participation", "friction:blame", "role_clarity", "tension"):
        spec = spec_for(metric)
        sign = 1.0 if spec.higher_is_better else -1.0
        d = deviation(x, mu, var, spec, sign, valid)
        np.testing.assert_array_equal(d[valid], deviation(x, mu, var, spec, sign, everywhere)[valid])
        if spec.proportion:
            assert not d[~valid].any()


def test_pool_rows_gives_single_rows_as_they_are_and_pools_each_group():
    from analysis.signals.detect import pool_rows

    block = troubled_panel().blocks["role_clarity"]
    others = [2, 5, 7]
    pooled = pool_rows(block, [[0], others, [3], others, list(others)])
    np.testing.assert_array_equal(pooled.mean[0], block.mean[0])
    np.testing.assert_array_equal(pooled.n[2], block.n[3])
    n = np.where(np.isnan(block.mean[others]), 0.0, block.n[others])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.nansum(n * block.mean[others], axis=0) / n.sum(axis=0)
    for row in (1, 3, 4):  # the same list twice, and an equal one
        np.testing.assert_allclose(pooled.mean[row], mean, rtol=1e-12)
        np.testing.assert_array_equal(pooled.n[row], np.where(n.sum(axis=0) > 0, n.sum(axis=0), np.nan))
    np.testing.assert_array_equal(pooled.sd[1], pooled.sd[4])


def test_sampling_variance_of_all_weeks_at_once_is_that_of_each_week():
    from analysis.signals.trend import sampling_variance, variance_source

    panel, params = troubled_panel(), DetectionParams()
    mu = np.linspace(0.05, 0.9, 40)
    for metric in ("participation", "friction:blame", "role_clarity"):
        spec = spec_for(metric)
        source = variance_source(panel.blocks[metric], spec, 0.8)
        weekly = np.stack([sampling_variance(source[:, t], mu, spec, params)
                           for t in range(source.shape[1])], 1)
        np.testing.assert_array_equal(sampling_variance(source, mu[:, None], spec, params), weekly)


def test_pool_rows_of_groups_made_on_the_fly_pools_each_its_own_rows():
    # Lists made one at a time and dropped at once may share an id: each must still be pooled.
    from analysis.signals.detect import pool_rows

    block = troubled_panel().blocks["role_clarity"]
    pooled = pool_rows(block, ([a, a + 1] for a in range(0, 20, 2)))
    for row, first in enumerate(range(0, 20, 2)):
        alone = pool_rows(block, [[first, first + 1]])
        for name in ("mean", "sd", "n"):
            np.testing.assert_array_equal(getattr(pooled, name)[row], getattr(alone, name)[0])
