import json
import os
import subprocess
import sys
from pathlib import Path

from analysis.signals.panel import write_panel

from .helpers import noisy, series

ROOT = Path(__file__).resolve().parents[3]


def run(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def test_signals_command_writes_json_lines(tmp_path):
    path = tmp_path / "panel.csv"
    write_panel(series("growth", "role_clarity", noisy(3.9, 12, 20) + [2.2] * 3, n=20), path)
    result = run("signals", str(path))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines and lines[0]["kind"] == "drop"
    assert set(lines[0]) >= {"kind", "teams", "metric", "week", "first_week", "severity",
                             "confidence", "evidence", "interventions"}


def test_signals_command_reports_bad_lines_without_traceback(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("team,department,week,metric,mean,sd,n,invited\n"
                    "a,marketing,2026-W01,role_clarity,x,,5,\n")
    result = run("signals", str(path))
    assert result.returncode == 2
    assert "line 2" in result.stderr and "Traceback" not in result.stderr


def test_simulate_then_backtest_small_configuration(tmp_path):
    out = tmp_path / "sim"
    made = run("simulate", "--out", str(out), "--orgs", "2", "--teams", "4", "--weeks", "30",
               "--seed", "3")
    assert made.returncode == 0, made.stderr
    assert (out / "truth.jsonl").exists() and len(list(out.glob("*.csv"))) == 2
    scored = run("backtest", str(out))
    assert scored.returncode == 0, scored.stderr
    assert "false alarms per 10 calm team-quarters" in scored.stdout
    assert "median delay" in scored.stdout


def test_generated_backtest_reports_tuning_and_held_out_sets_separately():
    scored = run("backtest", "--orgs", "1", "--teams", "4", "--weeks", "30", "--seed", "3",
                 "--holdout-seeds", "5")
    assert scored.returncode == 0, scored.stderr
    tuning, held_out = scored.stdout.split("HELD-OUT set")
    assert "TUNING set (seed 3" in tuning and "false alarms" in tuning
    assert held_out.startswith(" (seeds 5;") and "false alarms" in held_out
    assert "oracle" not in scored.stdout


def test_backtest_prints_the_oracle_bound_when_asked():
    scored = run("backtest", "--orgs", "2", "--teams", "4", "--weeks", "30", "--seed", "3",
                 "--holdout-seeds", "", "--oracle")
    assert scored.returncode == 0, scored.stderr
    assert "oracle bound (knows team, metric and onset; one-sided α = 0.05" in scored.stdout
    assert "α = 0.0003" in scored.stdout
    assert "of episodes ≥0.5 sd, ≥5 weeks, teams ≥8 (n=" in scored.stdout
    assert "recall of longer or larger episodes: ≥0.5 sd, ≥5 weeks, teams ≥8:" in scored.stdout


def test_analysis_packages_import_without_web_stack():
    code = ("import sys, analysis.signals, analysis.interventions, analysis.signals.cli;"
            "bad = [m for m in ('flask', 'sqlalchemy', 'surveys', 'app') if m in sys.modules];"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stdout + result.stderr
