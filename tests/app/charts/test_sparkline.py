import re

from app.charts import sparkline, sparkline_rows
from tests.app.charts.checks import (
    EVIL, LEAKED_MISSING, NS, all_visible_text, by_class, parse_chart, title_of,
)


def line_of(root):
    return by_class(root, "chart-line")[0].get("d")


def test_sparkline_is_safe_accessible_svg():
    root = parse_chart(sparkline([3.1, 3.4, 2.9], label="Role clarity"))
    assert title_of(root) == "Role clarity"
    assert "Latest value 2.9" in root.find(f"{NS}desc").text


def test_sparkline_escapes_its_label():
    markup = sparkline([1.0, 2.0], label=EVIL)
    assert "<script>" not in markup
    assert title_of(parse_chart(markup)) == EVIL


def test_sparkline_breaks_the_line_at_a_hidden_week():
    d = line_of(parse_chart(sparkline([1.0, 2.0, None, 3.0, 4.0], label="x")))
    assert re.fullmatch(r"M\S+ \S+ L\S+ \S+ M\S+ \S+ L\S+ \S+", d)


def test_sparkline_treats_nan_and_infinity_as_hidden():
    markup = sparkline([1.0, float("nan"), 2.0, float("inf"), 3.0], label="x")
    assert line_of(parse_chart(markup)).count("M") == 3
    assert not re.search(LEAKED_MISSING, markup)


def test_sparkline_marks_the_latest_shown_value():
    root = parse_chart(sparkline([1.0, 5.0, None], label="x", width=100, height=20))
    latest = by_class(root, "chart-latest")[0]
    assert float(latest.get("cx")) == 50 and float(latest.get("cy")) == 3


def test_sparkline_keeps_a_lone_week_visible_as_a_dot():
    root = parse_chart(sparkline([None, 2.0, None, 3.0], label="x"))
    assert len(by_class(root, "chart-point")) == 2


def test_sparkline_without_data_says_so():
    for values in ([], None, [None, float("nan")]):
        root = parse_chart(sparkline(values, label="Growth"))
        assert all_visible_text(root) == ["no data"] and title_of(root) == "Growth"


def test_sparkline_clamps_values_outside_the_given_range():
    root = parse_chart(sparkline([-10.0, 3.0, 99.0], label="x", low=1, high=5, height=28))
    ys = [float(v) for v in re.findall(r"[ML]\S+ (\S+)", line_of(root))]
    assert min(ys) == 3 and max(ys) == 25


def test_sparkline_draws_a_flat_series_in_the_middle():
    d = line_of(parse_chart(sparkline([2.0, 2.0, 2.0], label="x", height=28)))
    assert set(re.findall(r"[ML]\S+ (\S+)", d)) == {"14"}


def test_sparkline_rows_name_hidden_weeks_no_data():
    headers, rows = sparkline_rows([3.0, None], label="Trust", weeks=["2026-W01", "2026-W02"])
    assert headers == ["Week", "Trust"]
    assert rows == [["2026-W01", "3.0"], ["2026-W02", "no data"]]
