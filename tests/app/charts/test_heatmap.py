import re

from app.charts import heatmap, heatmap_rows
from app.charts.colours import BAD, GOOD, hex_colour
from tests.app.charts.checks import (
    EVIL, LEAKED_MISSING, NS, all_visible_text, by_class, parse_chart, title_of,
)

TEAMS = ["Growth marketing", "Field sales"]
DRIVERS = ["Role clarity", "Lead quality & handoff"]


def chart(values, rows=TEAMS, columns=DRIVERS, **options):
    return heatmap(rows, columns, values, **{"title": "Drivers", "low": 1, "high": 5, **options})


def cells(root):
    return by_class(root, "chart-cell")


def cell_text(cell):
    return "".join(cell.find(f"{NS}text").itertext())


def test_heatmap_is_safe_accessible_svg_with_a_value_in_each_cell():
    root = parse_chart(chart([[3.4, 4.1], [2.0, 5.0]]))
    assert title_of(root) == "Drivers"
    assert [cell_text(c) for c in cells(root)] == ["3.4", "4.1", "2.0", "5.0"]
    assert cells(root)[1].find(f"{NS}title").text == "Growth marketing, Lead quality & handoff: 4.1"


def test_heatmap_escapes_team_and_driver_names():
    markup = chart([[3.0]], rows=[EVIL], columns=[EVIL], title=EVIL)
    root = parse_chart(markup)
    assert "<script>" not in markup and title_of(root) == EVIL
    row_label = root.find(f"{NS}g[@class='chart-row-labels']/{NS}text")
    assert row_label.find(f"{NS}title").text == EVIL


def test_heatmap_shows_suppressed_cells_as_a_dash_without_a_number():
    markup = chart([[None, float("nan")], [float("inf"), 3.0]])
    root = parse_chart(markup)
    hidden = by_class(root, "chart-cell-suppressed")
    assert len(hidden) == 3
    for cell in hidden:
        assert cell_text(cell) == "–"
        assert cell.find(f"{NS}title").text.endswith(": not enough answers")
        assert cell.find(f"{NS}rect").get("fill").startswith("url(#chart-heatmap-")
        assert not re.search(r"\d", cell_text(cell) + cell.find(f"{NS}title").text)
    assert not re.search(LEAKED_MISSING, markup)


def test_heatmap_hatching_pattern_id_matches_the_cell_fill():
    root = parse_chart(chart([[None, 3.0], [3.0, 3.0]]))
    pattern = root.find(f"{NS}defs/{NS}pattern").get("id")
    assert by_class(root, "chart-cell-suppressed")[0].find(f"{NS}rect").get("fill") == \
        f"url(#{pattern})"


def fills(root):
    return [c.find(f"{NS}rect").get("fill") for c in cells(root)]


def test_heatmap_colours_bad_orange_and_good_blue_clamping_outside_values():
    root = parse_chart(chart([[1.0, 5.0], [-3.0, 12.0]]))
    assert fills(root) == [hex_colour(BAD), hex_colour(GOOD)] * 2
    assert [cell_text(c) for c in cells(root)][2:] == ["-3.0", "12.0"]


def test_heatmap_flips_colours_when_lower_is_better():
    root = parse_chart(chart([[1.0, 5.0]], rows=TEAMS[:1], higher_is_better=False))
    assert fills(root) == [hex_colour(GOOD), hex_colour(BAD)]


def test_heatmap_with_a_zero_height_range_uses_the_neutral_colour():
    root = parse_chart(chart([[3.0, 3.0]], rows=TEAMS[:1], low=3, high=3))
    assert fills(root) == ["#f7f7f7", "#f7f7f7"]


def test_heatmap_pads_ragged_values_as_suppressed():
    root = parse_chart(chart([[3.0]]))
    assert [cell_text(c) for c in cells(root)] == ["3.0", "–", "–", "–"]


def test_heatmap_without_rows_or_columns_says_no_data():
    assert all_visible_text(parse_chart(chart([], rows=[]))) == ["no data"]
    assert all_visible_text(parse_chart(chart([[]], columns=[]))) == ["no data"]


def test_heatmap_rows_hide_suppressed_values():
    headers, rows = heatmap_rows(TEAMS, DRIVERS, [[3.44, None]])
    assert headers == ["Team", *DRIVERS]
    assert rows == [["Growth marketing", "3.4", "not enough answers"],
                    ["Field sales", "not enough answers", "not enough answers"]]
