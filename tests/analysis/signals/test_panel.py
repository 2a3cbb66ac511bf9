import io

import numpy as np
import pytest

from analysis.signals.panel import (PanelError, panel_from_rows, parse_panel_lines, read_panel,
                                    read_panel_rows, write_panel)

GOOD = """team,department,week,metric,mean,sd,n,invited
growth-marketing,marketing,2026-W14,role_clarity,3.4,0.9,7,9
growth-marketing,marketing,2026-W16,role_clarity,3.6,,8,9
field-sales,sales,2026-W14,friction:blame,0.2,,20,
"""


def test_parse_panel_lines_reads_valid_rows():
    rows = parse_panel_lines(io.StringIO(GOOD))
    assert len(rows) == 3
    assert rows[0].mean == 3.4 and rows[0].sd == 0.9 and rows[0].invited == 9
    assert rows[1].sd is None and rows[2].invited is None


def test_panel_from_rows_fills_missing_weeks_with_nan():
    panel = panel_from_rows(parse_panel_lines(io.StringIO(GOOD)))
    assert panel.weeks == ["2026-W14", "2026-W15", "2026-W16"]
    block = panel.blocks["role_clarity"]
    row = panel.team_index("growth-marketing")
    assert block.mean[row, 0] == 3.4 and np.isnan(block.mean[row, 1])
    assert panel.departments[panel.team_index("field-sales")] == "sales"


@pytest.mark.parametrize("line, words", [
    ("t,marketing,2026-W14,role_clarity,abc,0.9,7,9", "not a number"),
    ("t,marketing,2026-W99,role_clarity,3.4,0.9,7,9", "does not exist"),
    ("t,marketing,26-14,role_clarity,3.4,0.9,7,9", "YYYY-Www"),
    ("t,marketing,2026-W14,mood,3.4,0.9,7,9", "unknown metric"),
    ("t,marketing,2026-W14,role_clarity,7.5,0.9,7,9", "outside"),
    ("t,marketing,2026-W14,role_clarity,3.4,-1,7,9", "negative"),
    ("t,marketing,2026-W14,role_clarity,3.4,0.9,12,9", "larger than invited"),
    ("t,marketing,2026-W14,role_clarity,3.4,0.9,7.5,9", "whole number"),
    (",marketing,2026-W14,role_clarity,3.4,0.9,7,9", "must not be empty"),
])
def test_parse_panel_lines_reports_bad_line_with_number(line, words):
    text = GOOD + line + "\n"
    with pytest.raises(PanelError) as info:
        parse_panel_lines(io.StringIO(text))
    assert info.value.problems[0][0] == 5
    assert words in str(info.value) and "line 5" in str(info.value)


def test_parse_panel_lines_rejects_duplicates_and_team_in_two_departments():
    text = GOOD + ("growth-marketing,marketing,2026-W14,role_clarity,3.1,0.9,7,9\n"
                   "field-sales,marketing,2026-W15,role_clarity,3.1,0.9,7,9\n")
    with pytest.raises(PanelError) as info:
        parse_panel_lines(io.StringIO(text))
    assert [line for line, _ in info.value.problems] == [5, 6]
    assert "duplicate of line 2" in str(info.value)


def test_parse_panel_lines_requires_header_columns():
    with pytest.raises(PanelError, match="header lacks column"):
        parse_panel_lines(io.StringIO("team,week,metric\n"))


def test_write_panel_round_trips(tmp_path):
    rows = parse_panel_lines(io.StringIO(GOOD))
    path = tmp_path / "panel.csv"
    write_panel(rows, path)
    assert read_panel_rows(path) == rows
    write_panel(read_panel(path), tmp_path / "again.csv")
    assert sorted(read_panel_rows(tmp_path / "again.csv"), key=str) == sorted(rows, key=str)


def test_panel_from_columns_matches_rows_and_keeps_first_department():
    from analysis.signals.panel import panel_from_columns
    rows = parse_panel_lines(io.StringIO(GOOD))
    columns = list(zip(*rows))
    panel = panel_from_columns(*columns)
    same = panel_from_rows(rows)
    assert panel.teams == same.teams == ["field-sales", "growth-marketing"]
    assert panel.departments == ["sales", "marketing"]
    for metric, block in same.blocks.items():
        for name in ("mean", "sd", "n", "invited"):
            np.testing.assert_array_equal(getattr(panel.blocks[metric], name), getattr(block, name))


def test_row_nanmedian_matches_numpy():
    from analysis.signals.baseline import row_nanmedian
    rng = np.random.default_rng(0)
    values = rng.normal(size=(30, 9))
    values[rng.random(values.shape) < 0.4] = np.nan
    values[3] = np.nan  # a row with nothing in it
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        expected = np.nanmedian(values, axis=1)
    np.testing.assert_allclose(row_nanmedian(values), expected, equal_nan=True)


def test_panel_from_columns_puts_each_row_at_its_team_week_and_metric_and_nothing_else():
    import random

    from analysis.signals.panel import PanelRow, panel_from_columns
    from analysis.signals.weeks import week_range
    rng = random.Random(5)
    weeks = ["2025-W51", "2025-W52", "2026-W02", "2026-W05"]  # across a year end, with gaps
    rows = [PanelRow(team, "sales" if team[0] in "ac" else "marketing", week, metric,
                     rng.uniform(0, 5), rng.choice([None, rng.uniform(0, 2)]), rng.randint(5, 40),
                     rng.choice([None, 50]))
            for team in ("c", "a", "d", "b") for week in weeks
            for metric in ("workload", "enps", "friction:blame") if rng.random() < 0.7]
    rng.shuffle(rows)
    panel = panel_from_columns(*zip(*rows))
    assert panel.teams == ["a", "b", "c", "d"] and panel.departments == ["sales", "marketing"] * 2
    assert panel.weeks == week_range("2025-W51", "2026-W05")
    assert sorted(panel.blocks) == sorted({r.metric for r in rows})
    for row in rows:
        block, at = panel.blocks[row.metric], (panel.team_index(row.team), panel.weeks.index(row.week))
        assert (block.mean[at], block.n[at]) == (row.mean, row.n)
        for value, stored in ((row.sd, block.sd[at]), (row.invited, block.invited[at])):
            assert np.isnan(stored) if value is None else stored == value
    filled = sum(int((~np.isnan(block.mean)).sum()) for block in panel.blocks.values())
    assert filled == len(rows)  # every other cell is empty
    for block in panel.blocks.values():
        assert all(a.shape == (4, len(panel.weeks)) for a in (block.mean, block.sd, block.n, block.invited))
