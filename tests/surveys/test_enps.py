"""eNPS bands and score."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveys.question_bank import enps, enps_band


@pytest.mark.parametrize("score, band", [
    (0, "detractor"), (6, "detractor"), (7, "passive"), (8, "passive"),
    (9, "promoter"), (10, "promoter"),
])
def test_enps_band_boundaries(score, band):
    assert enps_band(score) == band


@pytest.mark.parametrize("score", [-1, 11, 5.5, True, None])
def test_enps_band_rejects_scores_off_the_scale(score):
    with pytest.raises(ValueError, match="0 to 10"):
        enps_band(score)


def test_enps_all_promoters_is_100():
    assert enps([9, 10, 10]) == 100.0


def test_enps_all_detractors_is_minus_100():
    assert enps([0, 3, 6]) == -100.0


def test_enps_all_passives_is_zero():
    assert enps([7, 8]) == 0.0


def test_enps_mixed():
    # Three promoters, one passive, one detractor out of five: 60% - 20%.
    assert enps([10, 9, 10, 8, 2]) == pytest.approx(40.0)


def test_enps_empty_raises():
    with pytest.raises(ValueError, match="at least one"):
        enps([])


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1))
def test_enps_is_within_bounds(scores):
    assert -100.0 <= enps(scores) <= 100.0
