import re

from app.charts import gap_chart, gap_rows
from tests.app.charts.checks import (
    EVIL, LEAKED_MISSING, NS, all_visible_text, by_class, parse_chart, title_of,
)

ITEMS = [("The other team acts on what we hand over", 3.8, 2.1),
         ("Leads are followed up quickly", 2.5, 4.4)]


def test_gap_chart_is_safe_accessible_svg_that_prints_each_gap():
    root = parse_chart(gap_chart(ITEMS, title="Perception gap"))
    assert title_of(root) == "Perception gap"
    assert [t for t in all_visible_text(root) if t.startswith("gap")] == ["gap 1.7", "gap 1.9"]
    assert "widest gap 1.9 on Leads are followed up quickly" in root.find(f"{NS}desc").text


def test_gap_chart_draws_both_views_joined_by_a_line():
    root = parse_chart(gap_chart(ITEMS[:1], title="t"))
    line = by_class(root, "chart-gap-line")[0]
    left = by_class(root, "chart-dot-left")[-1]
    assert float(line.get("x1")) == float(left.get("cx"))
    assert len(by_class(root, "chart-dot-right")) == 2  # one in the legend, one in the row


def test_gap_chart_leaves_out_a_hidden_side_and_says_why():
    markup = gap_chart([("Shared goals", None, 3.0), ("Credit", float("nan"), None)], title="t")
    root = parse_chart(markup)
    rows = by_class(root, "chart-gap-row")
    assert [len(by_class(r, "chart-dot")) for r in rows] == [1, 0]
    assert by_class(root, "chart-gap-line") == []
    assert [visible for visible in all_visible_text(root) if "answers" in visible] == \
        ["not enough answers"] * 2
    assert not re.search(LEAKED_MISSING, markup)


def test_gap_chart_escapes_labels():
    markup = gap_chart([(EVIL, 1.0, 2.0)], title=EVIL, left_label=EVIL, right_label="&")
    root = parse_chart(markup)
    assert "<script>" not in markup and title_of(root) == EVIL


def test_gap_chart_truncates_long_statements_with_the_full_text_as_tooltip():
    statement = "When we pass a lead on, the other team follows it up within two working days"
    root = parse_chart(gap_chart([(statement, 2.0, 3.0)], title="t"))
    label = by_class(root, "chart-row-label")[0]
    assert label.find(f"{NS}title").text == statement
    assert "".join(label.itertext()).endswith("…")


def test_gap_chart_clamps_dots_to_the_scale():
    root = parse_chart(gap_chart([("x", -4.0, 9.0)], title="t"))
    grid = sorted(float(g.get("x1")) for g in by_class(root, "chart-grid"))
    assert float(by_class(root, "chart-dot-left")[-1].get("cx")) == grid[0]


def test_gap_chart_without_items_says_no_data():
    assert all_visible_text(parse_chart(gap_chart([], title="t"))) == ["no data"]


def test_gap_rows_give_each_side_and_the_gap():
    headers, rows = gap_rows([("Handoff", 3.0, 4.25), ("Goals", None, 2.0)])
    assert headers == ["Statement", "Marketing", "Sales", "Gap"]
    assert rows == [["Handoff", "3.0", "4.2", "gap 1.2"],
                    ["Goals", "not enough answers", "2.0", "not enough answers"]]
