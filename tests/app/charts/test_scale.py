import math
import sys

import pytest
from hypothesis import given, strategies as st

from app.charts import colours, scale


@pytest.mark.parametrize("value, expected", [
    (3, 3.0), (2.5, 2.5), ("4", 4.0), (None, None), (float("nan"), None), (float("-inf"), None),
    (True, None), ("n/a", None), ([1], None), (10 ** 400, None),
])
def test_clean_keeps_only_finite_numbers(value, expected):
    assert scale.clean(value) == expected


def test_value_range_swaps_reversed_and_widens_zero_height_ranges():
    assert scale.value_range(5, 1) == (1, 5)
    assert scale.value_range(3, 3) == (2.5, 3.5)
    assert scale.value_range(None, None, [2.0, None, 4.0]) == (2.0, 4.0)
    assert scale.value_range(None, float("nan"), []) == (0.0, 1.0)


def test_fraction_clamps_and_survives_the_ends_of_the_float_range():
    big = sys.float_info.max
    assert scale.fraction(9, 1, 5) == 1 and scale.fraction(-9, 1, 5) == 0
    assert scale.fraction(0.0, -big, big) == 0.5
    assert scale.fraction(3.0, 3.0, 3.0) == 0.5


def test_nice_ticks_on_the_survey_scales():
    assert scale.nice_ticks(1, 5) == [1, 2, 3, 4, 5]
    assert scale.nice_ticks(0, 10) == [0, 2, 4, 6, 8, 10]
    assert scale.nice_ticks(0, 1) == pytest.approx([0, 0.2, 0.4, 0.6, 0.8, 1.0])


@given(st.floats(-1e12, 1e12), st.floats(1e-6, 1e12))
def test_nice_ticks_lie_inside_the_range_in_order(low, span):
    ticks = scale.nice_ticks(low, low + span)
    assert 1 <= len(ticks) <= 15 and ticks == sorted(ticks)
    # Inside up to a millionth of the span, or to what a float of this size can tell apart:
    # a span of 6e-5 at -1.1e10 is a few units in the last place, so no tick can do better.
    slack = span * 1e-6 + 4 * math.ulp(abs(low) + span)
    assert all(low - slack <= t <= low + span + slack for t in ticks)


def test_format_value_never_prints_negative_zero():
    assert scale.format_value(-0.01) == "0.0"
    assert scale.format_value(None, missing="–") == "–"
    assert scale.format_value(-1.25, 2) == "-1.25"


def test_diverging_runs_from_orange_through_neutral_to_blue():
    assert colours.diverging(0) == "#b35806"
    assert colours.diverging(0.5) == "#f7f7f7"
    assert colours.diverging(1) == "#2166ac"


def test_cell_text_contrasts_with_its_fill():
    assert colours.text_on("#2166ac") == "#ffffff"
    assert colours.text_on("#f7f7f7") == colours.INK


def test_series_differ_by_dash_as_well_as_colour():
    first, second = colours.series_style(0), colours.series_style(1)
    assert first[0] != second[0] and first[1] != second[1]
