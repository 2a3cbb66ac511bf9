"""Command-line faces of the signal detector: signals, simulate, backtest, bench-signals."""
import argparse
import json
import sys

from analysis.signals.backtest import (WIDER_CLASSES, format_report, generate, read_scenarios,
                                       run_backtest, write_scenarios)
from analysis.signals.bench import run_bench
from analysis.signals.detect import detect_signals
from analysis.signals.oracle import format_oracle, oracle_recall
from analysis.signals.panel import PanelError, read_panel
from analysis.signals.params import DetectionParams


def signals_main(argv) -> int:
    """`signals PANEL.csv [--open-only] [--min-group K]`: one JSON line per signal on stdout."""
    parser = argparse.ArgumentParser(prog="python -m analysis signals")
    parser.add_argument("panel", help="long panel CSV (DESIGN §6)")
    parser.add_argument("--open-only", action="store_true", help="only signals still open")
    parser.add_argument("--min-group", type=int, default=DetectionParams.min_group,
                        help="ignore rows with fewer respondents (never below 3)")
    args = parser.parse_args(argv)
    try:
        panel = read_panel(args.panel)
    except (PanelError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    params = DetectionParams(min_group=max(3, args.min_group))
    for signal in detect_signals(panel, params):
        if signal.status == "open" or not args.open_only:
            print(json.dumps(signal.to_dict(), ensure_ascii=False))
    return 0


def simulate_main(argv) -> int:
    """`simulate --out DIR [--seed N] [--orgs N] [--teams N] [--weeks N]`: panels + truth.jsonl."""
    parser = _simulation_parser("python -m analysis simulate")
    parser.add_argument("--out", required=True, help="directory to write ORG.csv and truth.jsonl")
    args = parser.parse_args(argv)
    scenarios = generate(args.orgs, args.seed, args.teams, args.weeks)
    write_scenarios(scenarios, args.out)
    episodes = sum(len(s.episodes) for s in scenarios)
    print(f"wrote {len(scenarios)} panels with {episodes} injected episodes to {args.out}")
    return 0


def backtest_main(argv) -> int:
    """`backtest [DIR] [--seed N] [--holdout-seeds N,M] [--orgs N] …`: score the detector.

    Without DIR it scores the tuning set (`--seed`, the one parameters were tuned on) and then,
    separately, the held-out sets (`--holdout-seeds`), which judge the detector.
    """
    parser = _simulation_parser("python -m analysis backtest")
    parser.add_argument("directory", nargs="?", help="output of `simulate` (else generated now)")
    parser.add_argument("--holdout-seeds", default=HOLDOUT_SEEDS,
                        help="comma-separated seeds of the held-out scenarios ('' for none)")
    parser.add_argument("--oracle", action="store_true",
                        help="also print what a test told each episode's onset could find "
                             "(an upper bound on any detector's recall)")
    args = parser.parse_args(argv)
    if args.directory:
        try:
            scenarios = read_scenarios(args.directory)
        except (OSError, PanelError, ValueError, KeyError) as error:
            print(f"error: cannot read scenarios: {error}", file=sys.stderr)
            return 2
        print(f"== scenarios read from {args.directory} ==")
        print(format_report(run_backtest(scenarios)))
        return 0
    sets = [(f"TUNING set (seed {args.seed}; parameters were tuned on seeds {TUNING_SEEDS})", [args.seed])]
    holdout = [int(s) for s in args.holdout_seeds.split(",") if s.strip()]
    if holdout:
        sets.append((f"HELD-OUT set (seeds {', '.join(map(str, holdout))}; never tuned on: "
                     "this one judges the detector)", holdout))
    for title, seeds in sets:
        scenarios = [sc for seed in seeds
                     for sc in generate(args.orgs, seed, args.teams, args.weeks)]
        print(f"== {title}: {len(scenarios)} organisations ==")
        print(format_report(run_backtest(scenarios)), flush=True)
        if args.oracle:
            _print_oracle(scenarios)
        print()
    return 0


def _print_oracle(scenarios):
    """The oracle bound on the target class at each α, then on the wider classes at the scanning α."""
    for alpha in ORACLE_ALPHAS:
        print(format_oracle(oracle_recall(scenarios, alpha=alpha), alpha), flush=True)
    scanning = ORACLE_ALPHAS[-1]
    for episode_class in WIDER_CLASSES:
        found = oracle_recall(scenarios, alpha=scanning, episode_class=episode_class)
        print(format_oracle(found, scanning, episode_class), flush=True)


def bench_main(argv) -> int:
    """`bench-signals [--sizes 100,300,1000] [--weeks 52]`: detection time as the panel grows."""
    parser = argparse.ArgumentParser(prog="python -m analysis bench-signals")
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args(argv)
    print(run_bench([int(s) for s in args.sizes.split(",")], args.weeks))
    return 0


#: Seeds of the held-out scenarios; parameters were never tuned on them.
HOLDOUT_SEEDS = "11,13"
#: The oracle's one-sided error rates: a lenient 5%, and about the per-test rate a detector that
#: scans ~25 series per team every week must keep to stay within 1 false alarm per 10 calm
#: team-quarters (1 in 130 team-weeks × 25 series ≈ 3 in 10,000).
ORACLE_ALPHAS = (0.05, 0.0003)
#: Seeds the detection parameters were tuned on (the default --seed is the first).
TUNING_SEEDS = "7, 21, 22"


def _simulation_parser(prog):
    """Shared options of simulate and backtest."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--orgs", type=int, default=30, help="organisations to simulate")
    parser.add_argument("--teams", type=int, default=8, help="teams per organisation")
    parser.add_argument("--weeks", type=int, default=52)
    return parser
