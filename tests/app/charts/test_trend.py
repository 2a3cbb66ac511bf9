import re

from app.charts import trend_chart, trend_rows
from tests.app.charts.checks import (
    EVIL, LEAKED_MISSING, NS, all_visible_text, by_class, parse_chart, title_of,
)

WEEKS = [f"2026-W{n:02d}" for n in range(1, 11)]


def weeks(count):
    return [f"{2020 + n // 52}-W{n % 52 + 1:02d}" for n in range(count)]


def chart(series, week_labels=WEEKS, **options):
    options = {"title": "Role clarity", "y_min": 1, "y_max": 5, "y_label": "Mean score",
               **options}
    return trend_chart(series, week_labels, **options)


def test_trend_chart_is_safe_accessible_svg():
    series = [("Growth", [3.0 + n / 10 for n in range(10)], "growth"),
              ("Field sales", [2.5] * 10, "sales")]
    root = parse_chart(chart(series, band=(2.8, 3.6), markers=[("2026-W04", "Workshop")]))
    assert title_of(root) == "Role clarity"
    assert "Growth: latest 3.9 in 2026-W10" in root.find(f"{NS}desc").text
    assert {"Growth", "Field sales", "Normal range", "Workshop"} <= set(all_visible_text(root))


def test_trend_chart_escapes_every_text():
    markup = chart([(EVIL, [1.0] * 10, EVIL)], title=EVIL, y_label=EVIL,
                   markers=[("2026-W02", EVIL)], band_label=EVIL)
    root = parse_chart(markup)
    assert "<script>" not in markup and title_of(root) == EVIL
    assert [g.get("class") for g in by_class(root, "chart-series")] == [
        "chart-series chart-series-1 scriptalert1script"]


def test_trend_chart_breaks_lines_at_hidden_weeks():
    values = [3.0, 3.1, None, 3.3, float("nan"), 3.5, 3.6, 3.7, 3.8, 3.9]
    markup = chart([("Growth", values, None)])
    d = by_class(parse_chart(markup), "chart-line")[0].get("d")
    assert d.count("M") == 3 and not re.search(LEAKED_MISSING, markup)


def test_trend_chart_thins_week_labels_so_they_do_not_overlap():
    for count in (1, 9, 60, 200):
        root = parse_chart(chart([("A", [3.0] * count, None)], weeks(count)))
        ticks = [t for t in by_class(root, "chart-tick") if "W" in "".join(t.itertext())]
        xs = [float(t.get("x")) for t in ticks]
        assert 1 <= len(ticks) <= 10 and all(b - a >= 60 for a, b in zip(xs, xs[1:]))


def test_trend_chart_handles_200_weeks_without_a_dot_per_week():
    root = parse_chart(chart([("A", [3.0] * 199 + [None], None)], weeks(200)))
    assert by_class(root, "chart-point") == []


def test_trend_chart_survives_a_zero_height_range():
    root = parse_chart(chart([("A", [2.0, 2.0], None)], WEEKS[:2], y_min=2, y_max=2))
    assert by_class(root, "chart-line")[0].get("d")


def test_trend_chart_clamps_values_outside_the_axis():
    root = parse_chart(chart([("A", [-50.0, 80.0], None)], WEEKS[:2]))
    ys = [float(c.get("cy")) for c in by_class(root, "chart-point")]
    grid = [float(line.get("y1")) for line in by_class(root, "chart-grid")]
    assert max(ys) == max(grid) and min(ys) == min(grid)


def test_trend_chart_with_one_week_draws_a_dot():
    root = parse_chart(chart([("A", [3.0], None)], WEEKS[:1], band=(2.5, 3.5)))
    assert len(by_class(root, "chart-point")) == 1


def test_trend_chart_band_breaks_where_weekly_band_is_missing():
    band = [(2.0, 3.0), (2.0, 3.0), None, (2.5, 3.5), (2.5, 3.5), (1.0, None)]
    root = parse_chart(chart([("A", [3.0] * 6, None)], WEEKS[:6], band=band))
    assert len(root.findall(f".//{NS}g[@class='chart-band']/{NS}polygon")) == 2


def test_trend_chart_skips_markers_for_weeks_not_shown():
    root = parse_chart(chart([("A", [3.0] * 10, None)], markers=[("2030-W01", "Later")]))
    assert by_class(root, "chart-marker") == []


def test_trend_chart_truncates_long_names_and_keeps_them_in_a_tooltip():
    name = "Inside sales and business development, northern region"
    root = parse_chart(chart([(name, [3.0] * 10, None)]))
    shown = [t for t in root.iter(f"{NS}text") if t.find(f"{NS}title") is not None]
    assert shown[0].find(f"{NS}title").text == name
    assert all_visible_text(root)[-1].endswith("…") and len(all_visible_text(root)[-1]) == 22


def test_trend_chart_without_weeks_says_no_data():
    assert all_visible_text(parse_chart(chart([("A", [], None)], []))) == ["no data"]


def test_trend_rows_list_each_week_with_hidden_values_as_no_data():
    headers, rows = trend_rows([("Growth", [3.0, None], "g"), ("Sales", [2.0], "s")],
                               WEEKS[:2], band=(2.5, 3.5))
    assert headers == ["Week", "Growth", "Sales", "Normal range"]
    assert rows[1] == ["2026-W02", "no data", "no data", "2.5–3.5"]


def test_trend_chart_puts_the_series_class_on_its_line_and_legend_entry():
    root = parse_chart(chart([("Growth", [3.0] * 10, "team-growth")]))
    assert [e.get("class") for e in by_class(root, "team-growth")] == [
        "chart-series chart-series-1 team-growth", "chart-legend-item chart-series-1 team-growth"]
