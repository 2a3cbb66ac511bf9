"""The in-process request-cost benchmark still runs end to end (benchmarks.request_costs)."""
import re

from benchmarks import request_costs


def test_the_request_cost_benchmark_walks_journeys_and_prints_every_step(capsys):
    request_costs.main(["--people", "14"])
    printed = capsys.readouterr().out
    assert "4 journeys (sqlite; the bare handler on SQLite)" in printed
    for step in ("link", "form", "submit", "bare insert POST"):
        assert re.search(rf"^{step} +\d+\.\d\d +\d+\.\d\d$", printed, re.MULTILINE), step
    assert re.search(r"^submit / bare: \d+\.\d×$", printed, re.MULTILINE)
