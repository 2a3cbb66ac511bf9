from analysis.signals import DetectionParams, detect_signals, panel_from_rows

from .helpers import calm_team, noisy, series


def detect(rows, **params):
    return detect_signals(panel_from_rows(rows), DetectionParams(**params))


def of_kind(signals, kind):
    return [s for s in signals if s.kind == kind]


def test_decline_fires_on_sustained_slide():
    means = noisy(3.9, 12, 20) + [3.7, 3.5, 3.3, 3.1, 3.0, 3.0, 3.0, 3.0]
    found = of_kind(detect(series("growth", "role_clarity", means, n=20)), "decline")
    assert len(found) == 1
    signal = found[0]
    assert signal.teams == ["growth"] and signal.metric == "role_clarity"
    assert "2026-W13" <= signal.first_week <= "2026-W17" and signal.status == "open"
    assert signal.evidence["respondents"] == [20, 20] and signal.evidence["from"] > 3.7
    assert signal.interventions and "role clarity" in signal.evidence["summary"]


def test_drop_fires_on_sudden_fall_with_high_severity():
    means = noisy(3.9, 12, 20) + [2.2, 2.2, 2.3]
    signals = detect(series("growth", "role_clarity", means, n=20))
    drops = of_kind(signals, "drop")
    assert len(drops) == 1 and drops[0].first_week == "2026-W13"
    assert drops[0].severity == "high" and drops[0].confidence > 0.9


def test_level_detectors_stay_quiet_on_noise():
    rows = []
    for k in range(6):
        rows += calm_team(f"team{k}", "role_clarity", weeks=26, n=[6, 10, 20, 40, 8, 12][k], seed=k)
    assert detect(rows) == []


def test_rows_below_min_group_are_ignored():
    means = noisy(3.9, 12, 4) + [1.5, 1.5, 1.5, 1.5]
    assert detect(series("tiny", "role_clarity", means, n=4)) == []


def test_big_move_among_five_people_is_not_high_severity():
    means = noisy(3.9, 12, 5, seed=3) + [1.9, 1.9, 1.9]
    signals = detect(series("small", "role_clarity", means, n=5))
    assert signals and all(s.severity != "high" for s in signals)


def test_same_move_among_forty_people_is_high():
    means = noisy(3.9, 12, 40, seed=3) + [1.9, 1.9, 1.9]
    signals = detect(series("big", "role_clarity", means, n=40))
    assert any(s.severity == "high" for s in signals)


def test_perception_gap_fires_when_sides_diverge():
    item = "pair:acts_on_handover"
    mkt = series("growth", item, noisy(3.8, 10, 15, seed=1) + [2.7] * 5, n=15)
    sales = series("field", item, noisy(3.8, 15, 15, seed=2), n=15, department="sales")
    gaps = of_kind(detect(mkt + sales), "perception_gap")
    assert len(gaps) == 1
    assert gaps[0].teams == ["growth", "field"] and gaps[0].evidence["gap"] < -0.8


def test_perception_gap_quiet_when_sides_agree():
    item = "pair:acts_on_handover"
    mkt = series("growth", item, noisy(3.8, 20, 12, seed=1), n=12)
    sales = series("field", item, noisy(3.7, 20, 12, seed=2), n=12, department="sales")
    assert of_kind(detect(mkt + sales), "perception_gap") == []


def test_friction_spike_names_its_category():
    shares = [0.04, 0.05, 0.03, 0.04, 0.05, 0.04, 0.03, 0.05, 0.04, 0.04, 0.25, 0.3, 0.28]
    rows = series("field", "friction:blame", shares, n=60, sd=None, department="sales")
    spikes = of_kind(detect(rows), "friction_spike")
    assert len(spikes) == 1 and spikes[0].first_week == "2026-W11"
    assert spikes[0].evidence["friction_categories"][0] == "blame"


def test_friction_spike_quiet_for_two_texts_in_ten():
    shares = [0.0] * 10 + [0.2, 0.0, 0.0]
    rows = series("field", "friction:blame", shares, n=10, sd=None)
    assert of_kind(detect(rows), "friction_spike") == []


def test_sentiment_slide_fires_on_falling_message_tone():
    means = noisy(0.25, 12, 40, sd=0.4) + [0.1, 0.0, -0.05, -0.1, -0.1]
    slides = of_kind(detect(series("field", "message_sentiment", means, n=40, sd=0.4)),
                     "sentiment_slide")
    assert len(slides) == 1


def test_polarization_fires_when_answers_split():
    sds = [0.8] * 12 + [1.8, 1.85, 1.8, 1.9]
    means = noisy(3.8, 12, 20, sd=0.8) + [3.4, 3.4, 3.3, 3.4]
    found = of_kind(detect(series("growth", "shared_goals", means, n=20, sd=sds)), "polarization")
    assert len(found) == 1 and found[0].evidence["sd_to"] > 1.5


def test_polarization_quiet_on_ordinary_spread():
    sds = [0.8, 0.9, 0.75, 0.85, 0.95, 0.8, 0.7, 0.9, 0.85, 0.8, 0.9, 0.8, 0.95, 0.85]
    rows = series("growth", "shared_goals", noisy(3.8, 14, 10, sd=0.8), n=10, sd=sds)
    assert of_kind(detect(rows), "polarization") == []


def test_participation_drop_fires():
    shares = [0.85, 0.9, 0.8, 0.85, 0.9, 0.85, 0.8, 0.9, 0.85, 0.85, 0.4, 0.35, 0.4]
    counts = [round(s * 20) for s in shares]
    rows = series("growth", "participation", shares, n=counts, sd=None, invited=20)
    assert len(of_kind(detect(rows), "participation_drop")) == 1


def test_low_level_fires_on_persistently_low_driver():
    rows = series("field", "lead_quality", noisy(2.3, 8, 15), n=15, department="sales")
    low = of_kind(detect(rows), "low_level")
    assert len(low) == 1 and low[0].evidence["level"] < 2.6


def test_continuing_episode_is_one_signal_and_resolves_after_normal_weeks():
    means = (noisy(3.9, 12, 20) + [3.2] * 6 + list(noisy(3.9, 6, 20, seed=5)))
    found = of_kind(detect(series("growth", "role_clarity", means, n=20)), "drop") + \
        of_kind(detect(series("growth", "role_clarity", means, n=20)), "decline")
    assert len(found) == 1
    assert found[0].status == "resolved" and found[0].week <= "2026-W24"


def test_same_half_sd_shift_counts_for_more_in_a_bigger_team():
    # Three weeks 0.6 sd down: about 4.2 standard errors of evidence among 40, 1.7 among 5.
    level = noisy(3.9, 14, 40, seed=4)
    big = detect(series("big", "role_clarity", level + [3.36] * 3, n=40))
    small = detect(series("small", "role_clarity", noisy(3.9, 14, 5, seed=4) + [3.36] * 3, n=5))
    assert any(s.kind in ("decline", "drop") for s in big)
    assert small == []


def test_low_level_quiet_for_a_team_sitting_at_the_norm():
    rows = series("field", "lead_quality", noisy(2.97, 30, 15, seed=2), n=15, department="sales")
    assert of_kind(detect(rows), "low_level") == []


def test_participation_weeks_below_min_group_are_not_evidence():
    shares = [0.9] * 12 + [0.3, 0.3, 0.3, 0.3]
    counts = [round(s * 10) for s in shares]
    rows = series("small", "participation", shares, n=counts, sd=None, invited=10)
    assert detect(rows) == []


def test_perception_gap_that_closed_again_is_still_reported():
    # A gap wide for six weeks, then back to normal: the resolved episode ends on normal weeks,
    # and it must still count as a gap (the margin is judged on its widest weeks).
    item = "pair:acts_on_handover"
    mkt = series("growth", item, noisy(3.8, 12, 15, seed=1) + [2.7] * 6 + noisy(3.8, 8, 15, seed=3),
                 n=15)
    sales = series("field", item, noisy(3.8, 26, 15, seed=2), n=15, department="sales")
    gaps = of_kind(detect(mkt + sales), "perception_gap")
    assert len(gaps) == 1 and gaps[0].status == "resolved"
    assert gaps[0].first_week <= "2026-W15"
