"""Whatever the numbers and names, every chart renders to safe, parseable SVG."""
import re

from hypothesis import given, settings, strategies as st

from app.charts import gap_chart, heatmap, sparkline, trend_chart
from tests.app.charts.checks import LEAKED_MISSING, parse_chart

values = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True))
series_values = st.lists(values, max_size=60)
# Names never hold an "n", so that a "nan", "inf" or "None" in the output can only be a leak.
names = st.text(st.characters(exclude_characters="nN"), max_size=40)
bounds = st.one_of(st.none(), st.floats())
fuzz = settings(max_examples=60, deadline=None)


def assert_clean(markup):
    parse_chart(markup)
    assert not re.search(LEAKED_MISSING, re.sub(r"<title[^>]*>.*?</title>", "", markup))


@fuzz
@given(series_values, names, bounds, bounds)
def test_sparkline_renders_any_values(data, label, low, high):
    assert_clean(sparkline(data, label=label, low=low, high=high))


@fuzz
@given(st.lists(st.tuples(names, series_values, names), max_size=4), st.integers(0, 60),
       bounds, bounds, st.one_of(st.none(), st.tuples(values, values), st.lists(
           st.one_of(st.none(), st.tuples(values, values)), max_size=60)),
       st.lists(st.tuples(st.integers(0, 70), names), max_size=4))
def test_trend_chart_renders_any_values(series, week_count, y_min, y_max, band, marks):
    weeks = [f"2026-W{n:02d}" for n in range(week_count)]
    markers = [(f"2026-W{n:02d}", label) for n, label in marks]
    assert_clean(trend_chart(series, weeks, title="t", y_min=y_min, y_max=y_max, y_label="y",
                             band=band, markers=markers))


@fuzz
@given(st.lists(names, max_size=8), st.lists(names, max_size=8),
       st.lists(st.lists(values, max_size=8), max_size=8), bounds, bounds, st.booleans())
def test_heatmap_renders_any_values(rows, columns, grid, low, high, higher_is_better):
    assert_clean(heatmap(rows, columns, grid, title="t", low=low, high=high,
                         higher_is_better=higher_is_better))


@fuzz
@given(st.lists(st.tuples(names, values, values), max_size=20), bounds, bounds, names)
def test_gap_chart_renders_any_values(items, low, high, label):
    assert_clean(gap_chart(items, title=label, left_label=label, low=low, high=high))
