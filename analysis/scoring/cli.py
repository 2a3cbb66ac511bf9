"""Command-line faces of the scorer: score, evaluate, bench, train (see DESIGN §5)."""
import argparse
import json
import sys


def _score_parser():
    """Arguments of `python -m analysis score`."""
    parser = argparse.ArgumentParser(prog="python -m analysis score",
                                     description="Score JSON lines or plain text lines from stdin.")
    parser.add_argument("--extra-terms", action="append", default=[], metavar="FILE",
                        help="an organisation's own friction terms ([category] sections)")
    parser.add_argument("--model", help="tension model JSON (default: the shipped one)")
    parser.add_argument("--workers", type=int, default=None, help="processes for big inputs")
    return parser


def _make_scorer(args):
    """Build the scorer the options ask for (the cached default when none are given)."""
    from .scorer import MODEL_PATH, Scorer, get_scorer
    if not args.extra_terms and not args.model:
        return get_scorer()
    return Scorer(model_path=args.model or MODEL_PATH, extra_terms=args.extra_terms)


def score_main(argv):
    """Stream stdin to stdout, one JSON object per input line; bad lines reported on stderr."""
    from .batch import score_records
    from .lines import read_records
    args = _score_parser().parse_args(argv)
    scorer = _make_scorer(args)
    out = sys.stdout.buffer
    bad = 0
    for result in score_records(read_records(sys.stdin.buffer), scorer, args.workers):
        if "error" in result:
            bad += 1
            print(f"line {result.get('line', result.get('id'))}: {result['error']}",
                  file=sys.stderr)
        # ASCII-only JSON: stray surrogates or odd bytes in input can never break the output
        out.write(json.dumps(result).encode("ascii") + b"\n")
    out.flush()
    return 1 if bad else 0


def evaluate_main(argv):
    """Print metrics for each recognised labelled CSV in DIR, beside plain VADER."""
    from .evaluate import evaluate_dir
    from .scorer import MODEL_PATH, Scorer
    parser = argparse.ArgumentParser(prog="python -m analysis evaluate")
    parser.add_argument("directory")
    parser.add_argument("--model", default=MODEL_PATH)
    args = parser.parse_args(argv)
    if evaluate_dir(args.directory, Scorer(model_path=args.model)) == 0:
        print(f"no recognised labelled CSV files in {args.directory}", file=sys.stderr)
        return 1
    return 0


def bench_main(argv):
    """Print throughput of VADER alone and of the full pipeline, latency and memory."""
    from .bench import run_bench
    parser = argparse.ArgumentParser(prog="python -m analysis bench")
    parser.add_argument("--texts", type=int, default=5000, help="number of texts to score")
    args = parser.parse_args(argv)
    run_bench(args.texts)
    return 0


def train_main(argv):
    """Train the tension model and write it (default: into analysis/scoring/data/)."""
    from .scorer import MODEL_PATH
    from .training import train
    parser = argparse.ArgumentParser(prog="python -m analysis train")
    parser.add_argument("--data", help="folder holding goemotions_train.csv")
    parser.add_argument("--out", default=MODEL_PATH)
    args = parser.parse_args(argv)
    summary = train(args.data, args.out)
    print(json.dumps(summary, indent=2))
    return 0
