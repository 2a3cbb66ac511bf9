"""Load: a 5,000-person invitation burst over HTTP, beside a bare Flask + SQLite insert handler.

Run: `python -m benchmarks.load [--quick] [--people N] [--database-url URL]`.

Both servers are gunicorn on loopback with the same settings (WORKERS sync workers) and both
are driven by the same client, locust headless in a subprocess (`benchmarks/load_locust.py`),
SURVEY_USERS concurrent clients. What the issue calls a submission is the POST of a person's
answers, so Tandem is measured in phases, one locust run each, on one server:

1. whole journeys, for JOURNEY_PEOPLE extra people: open the link (→ cookie), GET the form,
   POST the answers; reported per journey, labelled as such;
2. preparation of the burst's people: link exchange and form GET, keeping each person's
   cookie and CSRF token; reported as its own rate and latencies;
3. the submission burst: each prepared person's answers POST, mixed with signed-in managers
   viewing the overview and a team page, and with the weekly digest job (`flask digests
   send`, a separate process as cron runs it) started while the burst is going on.

The baseline posts as many rows, with the same clients, to a handler that inserts each into
SQLite. Printed: submissions (answers POSTs) per second, ours beside the baseline's (target ≥
50%), p99 latency of the answers POST (target ≤ 50 ms) and errors (target 0).
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from benchmarks.bare_app import row_count
from benchmarks.pages import serve
from benchmarks.surveyorg import (
    PASSWORD, REPO, app_for, database_url_for, flask_command, prepare, server_env)
from surveys.models import Invitation, Response
from tests.smtp_server import free_port

#: gunicorn sync workers for both servers: two per core on the 2-core machines we run on.
WORKERS = 4
#: Concurrent clients answering surveys (and posting to the baseline).
SURVEY_USERS = 16
#: Signed-in managers browsing during the burst.
MANAGER_USERS = 2
#: Weeks of closed history behind the manager pages.
HISTORY_WEEKS = 4
#: Seconds into the burst when the digest job starts.
DIGEST_AFTER = 5
#: Longest a locust run may take, whatever happens (bounds the run).
RUN_LIMIT_S = 240
#: Extra people, beyond the burst's, who go through the whole journey in phase 1.
JOURNEY_PEOPLE = 500


def parse_args(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=5000, help="people invited (default 5000)")
    parser.add_argument("--quick", action="store_true", help="a short check: 500 people")
    parser.add_argument("--database-url", help="an empty database to migrate and use "
                        "(e.g. postgresql+psycopg://…); default: a fresh SQLite file")
    args = parser.parse_args(argv)
    if args.quick:
        args.people = min(args.people, 500)
    args.journey_people = JOURNEY_PEOPLE // 5 if args.quick else JOURNEY_PEOPLE
    return args


def run_locust(folder, port, plan, label):
    """Run locust headless against loopback `port` with `plan`; returns {records, prepared}."""
    plan_path, results_path = Path(folder) / f"{label}-plan.json", Path(folder) / f"{label}-results.json"
    plan_path.write_text(json.dumps(plan))
    users = sum(value for key, value in plan.items() if key.endswith("_users"))
    command = [sys.executable, "-m", "locust", "-f", str(Path(REPO) / "benchmarks/load_locust.py"),
               "--headless", "--users", str(users), "--spawn-rate", str(users),
               "--run-time", f"{RUN_LIMIT_S}s", "--host", f"http://127.0.0.1:{port}",
               "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    env = {**server_env(folder, ""), "LOAD_PLAN": str(plan_path), "LOAD_RESULTS": str(results_path)}
    with open(Path(folder) / f"{label}-locust.log", "w") as log:
        # Exit status 1 only means some request failed; the records count those as errors.
        subprocess.run(command, env=env, stdout=log, stderr=log, timeout=RUN_LIMIT_S + 60, check=False)
    return json.loads(results_path.read_text())


def summarise(records, name):
    """Figures for requests called `name`: count, errors, per second, p50/p95/p99 ms."""
    mine = [r for r in records if r[0] == name]
    if not mine:
        return None
    ok = [r for r in mine if r[3]]
    times = sorted(r[2] for r in mine)
    span = max(r[1] + r[2] / 1000 for r in mine) - min(r[1] for r in mine)
    return {"count": len(mine), "ok": len(ok), "errors": len(mine) - len(ok),
            "per_s": len(ok) / span if span else 0.0, "p50": statistics.median(times),
            "p95": percentile(times, 95), "p99": percentile(times, 99)}


def percentile(sorted_values, p):
    """The p-th percentile (nearest rank) of already sorted values."""
    rank = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def measure_bare(folder, n_posts):
    """The baseline: the bare insert handler under the same server settings and client."""
    bare_db, port = f"{folder}/bare.db", free_port()
    process = serve(folder, port, workers=WORKERS, app_spec="benchmarks.bare_app:create_app()",
                    ready_path="/", extra_env={"BARE_DATABASE": bare_db},
                    log_path=f"{folder}/bare-gunicorn.log")
    try:
        records = run_locust(folder, port, {"bare_users": SURVEY_USERS, "bare_posts": n_posts,
                                            "finishers": SURVEY_USERS}, "bare")["records"]
    finally:
        stop(process)
    return records, row_count(bare_db)


def numbered(links):
    """(number, token) pairs for the locust plan; the number picks each person's answers."""
    return [(n, token) for n, (token, _round) in enumerate(links)]


def measure_tandem(folder, database_url, org, n_journeys):
    """Tandem's three phases on one server; returns ({phase: records}, digest figures)."""
    port = free_port()
    process = serve(folder, port, database_url, workers=WORKERS,
                    extra_env={"RATELIMIT_ENABLED": "false"}, log_path=f"{folder}/gunicorn.log")
    digest, phases = {}, {}
    links = numbered(org.links)
    try:
        phases["journey"] = run_locust(folder, port, {
            "journey_users": SURVEY_USERS, "finishers": SURVEY_USERS,
            "links": links[:n_journeys]}, "journey")["records"]
        prepared = run_locust(folder, port, {
            "prepare_users": SURVEY_USERS, "finishers": SURVEY_USERS,
            "links": links[n_journeys:]}, "prepare")
        phases["prepare"] = prepared["records"]
        phases["burst"] = submission_burst(folder, database_url, port, org, prepared["prepared"], digest)
    finally:
        stop(process)
    return phases, digest


def submission_burst(folder, database_url, port, org, prepared, digest):
    """Phase 3: the answers POSTs of the prepared people, managers browsing, the digest run."""
    trigger = threading.Timer(DIGEST_AFTER, run_digests, (folder, database_url, digest))
    plan = {"submit_users": SURVEY_USERS, "manager_users": MANAGER_USERS,
            "finishers": SURVEY_USERS, "password": PASSWORD, "accounts": org.managers,
            "prepared": prepared}
    try:
        trigger.start()
        records = run_locust(folder, port, plan, "burst")["records"]
        trigger.join()
    finally:
        trigger.cancel()
    return records


def run_digests(folder, database_url, into):
    """The weekly digest job as cron starts it, timed; fills `into`."""
    start = time.perf_counter()
    try:
        into["output"] = flask_command(folder, database_url, "digests", "send").strip()
    except Exception as error:  # reported as an error in the table, never silently dropped
        into["output"] = f"failed: {error}"
    into["seconds"] = time.perf_counter() - start


def stop(process):
    """Stop a gunicorn started by `serve` and wait for it."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stored_counts(folder, database_url, round_ids):
    """(responses, used invitations) in the burst's rounds, read back from the database."""
    app = app_for(folder, database_url)
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response)
                                      .where(Response.round_id.in_(round_ids)))
        used = db.session.scalar(select(func.count()).select_from(Invitation).where(
            Invitation.round_id.in_(round_ids), Invitation.used.is_(True)))
        db.session.remove()
        db.engine.dispose()
    return responses, used


HEADER = f"{'':<40} {'count':>7} {'errors':>6} {'per s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"


def print_rows(rows):
    """One table line per (label, summary) pair that has requests."""
    for label, row in rows:
        if row:
            print(f"{label:<40} {row['count']:>7} {row['errors']:>6} {row['per_s']:>8.1f} "
                  f"{row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f}")


def report(args, org, phases, bare, digest, stored):
    """Print the figures, phase by phase, then the issue's three targets."""
    ours, base = summarise(phases["burst"], "submit"), summarise(bare[0], "submit")
    kind = "SQLite" if not args.database_url else args.database_url.split("://")[0]
    print(f"\nLoad: gunicorn -w {WORKERS} on loopback, {kind}; {SURVEY_USERS} concurrent survey "
          f"clients in every phase; the bare baseline is Flask + SQLite, measured in this run")
    print(f"\n1. Whole journeys ({args.journey_people} extra people; one journey = link → cookie, "
          f"form GET, answers POST = 3 requests)")
    print(HEADER)
    print_rows([("whole journey (per journey)", summarise(phases["journey"], "journey"))] +
               [(f"  {name}", summarise(phases["journey"], name)) for name in
                ("journey link", "journey form", "journey submit")])
    print(f"\n2. Preparation of the burst's {args.people} people (link exchange + form GET; "
          f"not submissions)")
    print(HEADER)
    print_rows([("link exchange GET", summarise(phases["prepare"], "link")),
                ("form GET (people prepared per s)", summarise(phases["prepare"], "form"))])
    print(f"\n3. Submission burst: one answers POST per person, {SURVEY_USERS} clients, "
          f"{MANAGER_USERS} managers browsing, digest run")
    print(HEADER)
    print_rows([("survey submission = answers POST (ours)", ours),
                ("bare insert POST (baseline)", base)] +
               [(f"  manager {name}", summarise(phases["burst"], name)) for name in
                ("overview", "team", "sign in", "login page")])
    print_targets(ours, base, phases, digest)
    print(f"stored: {stored[0]} responses, {stored[1]} invitations used, of {len(org.links)} "
          f"links; bare rows {bare[1]}")
    if ours["count"] < args.people:
        print(f"the burst stopped at its {RUN_LIMIT_S} s limit with {args.people - ours['count']} "
              f"people unanswered: the rate above is over the answered ones")


def print_targets(ours, base, phases, digest):
    """The issue's targets, each with what it counts."""
    tandem = [r for records in phases.values() for r in records if r[0] != "journey"]
    errors = sum(not r[3] for r in tandem) + (0 if digest.get("output", "").startswith("sent") else 1)
    ratio = ours["per_s"] / base["per_s"]
    print(f"\nsubmissions/s (answers POSTs, during the burst): ours {ours['per_s']:.1f} vs bare "
          f"{base['per_s']:.1f} = {ratio:.0%} (target ≥ 50%) {'MET' if ratio >= 0.5 else 'MISSED'}")
    print(f"p99 submission (answers POST): {ours['p99']:.1f} ms vs bare {base['p99']:.1f} ms "
          f"(target ≤ 50 ms) {'MET' if ours['p99'] <= 50 else 'MISSED'}")
    print(f"errors (every Tandem request of the three phases, and the digest run): {errors} "
          f"(target 0) {'MET' if errors == 0 else 'MISSED'}; bare errors {base['errors']}")
    print(f"digest run during the burst: {digest.get('output')} in {digest.get('seconds', 0):.1f} s")


def main(argv=None):
    """Build, measure the baseline and Tandem in the same run, print the tables."""
    args = parse_args(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        database_url = database_url_for(folder, args.database_url)
        start = time.perf_counter()
        # The journey phase's people are extra, so the burst keeps its full size.
        org = prepare(folder, database_url, args.people + args.journey_people, HISTORY_WEEKS)
        print(f"prepared {args.people} + {args.journey_people} people, {len(org.round_ids)} teams in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        bare = measure_bare(folder, args.people)
        phases, digest = measure_tandem(folder, database_url, org, args.journey_people)
        report(args, org, phases, bare, digest, stored_counts(folder, database_url, org.round_ids))
        print(f"whole run {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
