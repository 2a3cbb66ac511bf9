"""`python -m app.benchmarks.messages`: Slack-export import throughput beside the scorer alone.

Writes a generated Slack export (texts from the scorer's own workplace corpus), imports it into
a fresh migrated SQLite database in a child process — consent check, redaction, scoring, storage —
and prints messages per second beside `score_records` alone on the same texts, measured in the same
run. Peak memory (VmHWM of the importing process) is printed for two export sizes to show that
it stays flat as the export grows.
"""
import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.scoring import score_records
from analysis.scoring.batch import default_workers
from analysis.scoring.bench import bench_texts

TEAMS = ("growth-marketing", "brand", "enterprise-sales", "sales-development")
PEOPLE = 200
PER_DAY_FILE = 500
START = dt.datetime(2026, 1, 5, 9, tzinfo=dt.timezone.utc)


def write_export(folder, texts):
    """A Slack export of `texts` spread over PEOPLE authors, four channels and day files."""
    folder.mkdir(parents=True)
    users = [{"id": f"U{i}", "name": f"p{i}", "profile": {"email": f"p{i}@example.com"}}
             for i in range(PEOPLE)]
    (folder / "users.json").write_text(json.dumps(users))
    channels = [{"id": f"C{i}", "name": f"channel-{i}"} for i in range(4)]
    (folder / "channels.json").write_text(json.dumps(channels))
    for start in range(0, len(texts), PER_DAY_FILE):
        index = start // PER_DAY_FILE
        channel, day = channels[index % 4]["name"], START + dt.timedelta(days=index // 4)
        (folder / channel).mkdir(exist_ok=True)
        messages = [{"type": "message", "user": f"U{(start + k) % PEOPLE}", "text": text,
                     "ts": f"{day.timestamp() + k:.6f}"}
                    for k, text in enumerate(texts[start:start + PER_DAY_FILE])]
        (folder / channel / f"{day:%Y-%m-%d}.json").write_text(json.dumps(messages))


def people_csv():
    """The benchmark's people directory."""
    lines = ["email,name,team,department,manager_email"]
    lines += [f"p{i}@example.com,Person{i} Bench{i},{TEAMS[i % 4]},"
              f"{'marketing' if i % 4 < 2 else 'sales'},boss@example.com" for i in range(PEOPLE)]
    return "\n".join(lines) + "\n"


def child_import(export, workdir):
    """Import `export` into a fresh database; print seconds, counts and peak memory as JSON."""
    from app import create_app
    from app.extensions import db
    from config import TestConfig
    from surveys.messages.ingest import import_messages
    from surveys.messages.slack import read_slack_export

    app = create_app(TestConfig(workdir))
    with app.app_context():
        now = _prepare_database(db.session)
        before = _memory("VmRSS")
        started = time.perf_counter()
        report = import_messages(db.session, "slack", read_slack_export(export), now)
        seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "stored": report.stored, "received": report.received,
                      "rss_before_mb": before, "peak_mb": _memory("VmHWM")}))


def _prepare_database(session):
    """Migrate, import the people, switch sampling on and opt everyone in; returns `now`."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from surveys.messages.consent import grant_consent
    from surveys.messages.switch import enable_sampling
    from surveys.models import Member
    from surveys.people import import_people

    upgrade()
    now = dt.datetime.now(dt.timezone.utc)
    import_people(session, people_csv())
    enable_sampling(session, "BENCH", "Benchmark notice.", "bench", now)
    for member in session.scalars(select(Member)):
        grant_consent(session, member, ["slack"], now)
    return now


def _memory(field):
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024


def run_import(export, workdir):
    """Run one import in a fresh process (so its peak memory is its own); its JSON figures."""
    output = subprocess.run([sys.executable, "-m", "app.benchmarks.messages", "--child",
                             str(export), str(workdir)], capture_output=True, text=True, check=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def run_benchmark(n, small, out=print):
    """Measure and print import throughput, scorer-alone throughput and peak memory."""
    texts = bench_texts(n)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_export(folder / "small", texts[:small])
        write_export(folder / "big", texts)
        small_run = run_import(folder / "small", folder / "db-small")
        big_run = run_import(folder / "big", folder / "db-big")
    started = time.perf_counter()
    scored = sum(1 for _ in score_records(enumerate(texts)))
    scorer_s = time.perf_counter() - started
    figures = {"n": n, "import_per_s": big_run["received"] / big_run["seconds"],
               "scorer_per_s": scored / scorer_s, "small": small_run, "big": big_run}
    figures["ratio"] = figures["import_per_s"] / figures["scorer_per_s"]
    _print(figures, small, out)
    return figures


def _print(f, small, out):
    out(f"{f['n']} generated Slack messages, {PEOPLE} authors (all opted in), "
        f"{default_workers()} CPUs usable; fresh migrated SQLite database")
    out(f"import (read, consent, redact, dedup, score, store)  {f['import_per_s']:8.0f} messages/s"
        f"   stored {f['big']['stored']}")
    out(f"scorer alone (score_records, same texts)            {f['scorer_per_s']:8.0f} messages/s")
    out(f"ratio import / scorer alone                         {f['ratio']:8.2f}   (target >= 0.60)")
    for label, run in ((f"{small:>7} messages", f["small"]), (f"{f['n']:>7} messages", f["big"])):
        out(f"peak memory of the importing process, {label}: {run['peak_mb']:6.0f} MB "
            f"(before import {run['rss_before_mb']:.0f} MB)")


def main(argv=None):
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=25_000)
    parser.add_argument("--child", nargs=2, metavar=("EXPORT", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_import(Path(args.child[0]), Path(args.child[1]))
    else:
        run_benchmark(args.messages, args.small)


if __name__ == "__main__":
    main()
