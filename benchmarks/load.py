"""Load: a 5,000-person invitation burst over HTTP, beside a bare Flask + SQLite insert handler.

Run: `python -m benchmarks.load [--quick] [--people N] [--burst-seconds S] [--database-url URL]`.

Both servers are gunicorn on loopback with the same settings (WORKERS sync workers) and both
are driven by the same client, locust headless in a subprocess (`benchmarks/load_locust.py`),
SURVEY_USERS concurrent clients. What the issue calls a submission is the POST of a person's
answers, so Tandem is measured in phases, one locust run each, on one server:

1. whole journeys, for a few extra people: open the link (→ cookie), GET the form, POST the
   answers; reported per journey, labelled as such;
2. preparation of everyone the later phases need: link exchange and form GET, keeping each
   person's cookie and CSRF token; reported as its own rate and latencies, never as submissions;
(a) the BURST the issue describes: every one of the --people answers within --burst-seconds
   (Poisson arrivals at people / seconds per second, spread over the survey clients), while
   signed-in managers view the overview and a team page and the weekly digest job (`flask
   digests send`, a separate process started as docs/deploy.md's cron line starts batch jobs:
   `nice -n 10`, below the web workers) runs. The p99 target is judged here;
(b) SATURATION, submissions only: the same clients post answers with no wait, in
   SATURATION_ROUNDS rounds that alternate with rounds of the bare handler posting as many rows
   with the same clients (bare, ours, bare, …, bare), so a machine whose speed drifts during the
   run weighs on both alike. Each round's rate is its steady state: the middle STEADY_SHARE of
   its requests, so locust's start-up and the last stragglers count for neither side. The ≥ 50%
   target (mean of our rounds over mean of the bare rounds) is judged here;
(c) saturation again with the managers and a digest run mixed in, so the mix's cost shows
   (skip with --no-mixed).

Every figure is printed under the phase it belongs to, with MET or MISSED beside each target.
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

import psutil
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

from app.extensions import db
from benchmarks.bare_app import row_count
from benchmarks.pages import serve
from benchmarks.surveyorg import (
    BATCH_NICE, PASSWORD, REPO, app_for, database_url_for, flask_command, prepare, server_env)
from surveys.models import Invitation, OutgoingMail, Response
from tests.smtp_server import free_port

#: gunicorn sync workers for both servers: two per core on the 2-core machines we run on.
WORKERS = 4
#: Concurrent clients answering surveys (and posting to the baseline).
SURVEY_USERS = 16
#: Signed-in managers browsing during the burst and the mixed saturation.
MANAGER_USERS = 2
#: Weeks of closed history behind the manager pages.
HISTORY_WEEKS = 4
#: Seconds into the burst (and into the mixed saturation) when the digest job starts.
DIGEST_AFTER = {"burst": 10, "mixed": 1}
#: Seconds a locust run may take beyond what it should need (bounds the run whatever happens).
RUN_MARGIN_S = 120
#: A saturation run should take seconds; longer means something is wrong.
SATURATION_LIMIT_S = 240
#: Rounds of our saturation, each between two rounds of the bare handler.
SATURATION_ROUNDS = 3
#: Share of a saturation round's requests (the middle ones, by start time) its rate counts.
STEADY_SHARE = 0.8
#: Seconds of the bare handler paced like the burst, alone: the p99 this machine allows now.
PACED_BARE_S = 60
#: The issue's targets.
TARGET_RATIO, TARGET_P99_MS = 0.5, 50.0


def parse_args(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=5000, help="people in the burst (default 5000)")
    parser.add_argument("--burst-seconds", type=float, default=180,
                        help="seconds in which the burst's people all answer (default 180)")
    parser.add_argument("--saturation-people", type=int, default=3000,
                        help="submissions per saturation phase (phase b: in SATURATION_ROUNDS "
                             "rounds, beside bare rounds of the same size)")
    parser.add_argument("--journeys", type=int, default=500, help="extra whole journeys (phase 1)")
    parser.add_argument("--no-mixed", action="store_true", help="skip phase (c)")
    parser.add_argument("--batch-nice", type=int, default=BATCH_NICE,
                        help=f"niceness of the digest job (default {BATCH_NICE}, as docs/deploy.md "
                             "runs batch jobs; 0 to compare with a job at the web workers' priority)")
    parser.add_argument("--quick", action="store_true",
                        help="a short check: 500 people in 30 s, 800 per saturation, 100 journeys")
    parser.add_argument("--database-url", help="an empty database to migrate and use "
                        "(e.g. postgresql+psycopg://…); default: a fresh SQLite file")
    args = parser.parse_args(argv)
    if args.quick:
        args.people, args.burst_seconds = min(args.people, 500), min(args.burst_seconds, 30)
        args.saturation_people, args.journeys = min(args.saturation_people, 800), min(args.journeys, 100)
    return args


def run_locust(folder, port, plan, label, limit_s):
    """Run locust headless against loopback `port` with `plan`; returns {records, prepared}."""
    plan_path, results_path = Path(folder) / f"{label}-plan.json", Path(folder) / f"{label}-results.json"
    plan_path.write_text(json.dumps(plan))
    users = sum(value for key, value in plan.items() if key.endswith("_users"))
    command = [sys.executable, "-m", "locust", "-f", str(Path(REPO) / "benchmarks/load_locust.py"),
               "--headless", "--users", str(users), "--spawn-rate", str(users),
               "--run-time", f"{int(limit_s)}s", "--host", f"http://127.0.0.1:{port}",
               "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"]
    env = {**server_env(folder, ""), "LOAD_PLAN": str(plan_path), "LOAD_RESULTS": str(results_path)}
    with open(Path(folder) / f"{label}-locust.log", "w") as log:
        # Exit status 1 only means some request failed; the records count those as errors.
        subprocess.run(command, env=env, stdout=log, stderr=log, timeout=limit_s + 60, check=False)
    return json.loads(results_path.read_text())


def summarise(records, name):
    """Figures for requests called `name`: count, errors, per second, seconds, p50/p95/p99 ms."""
    mine = [r for r in records if r[0] == name]
    if not mine:
        return None
    ok = [r for r in mine if r[3]]
    times = sorted(r[2] for r in mine)
    span = max(r[1] + r[2] / 1000 for r in mine) - min(r[1] for r in mine)
    return {"count": len(mine), "ok": len(ok), "errors": len(mine) - len(ok), "seconds": span,
            "per_s": len(ok) / span if span else 0.0, "p50": statistics.median(times),
            "p95": percentile(times, 95), "p99": percentile(times, 99)}


def steady_rate(records, name):
    """Requests per second of `name` in a saturation run's steady state.

    Only the middle STEADY_SHARE of the requests, by start time, count: the rate is how many of
    them there are over the time between the first and the last of their starts. Locust starts
    its clients over about a second and the last few finish alone; in a run of a few seconds
    that would weigh more on the faster server.
    """
    starts = sorted(r[1] for r in records if r[0] == name and r[3])
    skip = int(len(starts) * (1 - STEADY_SHARE) / 2)
    middle = starts[skip:len(starts) - skip]
    span = middle[-1] - middle[0] if len(middle) > 1 else 0.0
    return (len(middle) - 1) / span if span else 0.0


def percentile(sorted_values, p):
    """The p-th percentile (nearest rank) of already sorted values."""
    rank = max(0, min(len(sorted_values) - 1, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def measure_bare(folder, n_posts, label, rate=None):
    """The baseline: the bare insert handler, fresh, under the same server settings and client.

    With `rate`, its writers are paced like the burst's submitters (Poisson arrivals).
    """
    bare_db, port = f"{folder}/{label}.db", free_port()
    process = serve(folder, port, workers=WORKERS, app_spec="benchmarks.bare_app:create_app()",
                    ready_path="/", extra_env={"BARE_DATABASE": bare_db},
                    log_path=f"{folder}/{label}-gunicorn.log")
    plan = {"bare_users": SURVEY_USERS, "bare_posts": n_posts, "finishers": SURVEY_USERS}
    limit_s = SATURATION_LIMIT_S
    if rate:
        plan["bare_rate"], limit_s = rate, n_posts / rate + RUN_MARGIN_S
    try:
        results, cpu = with_server_cpu(process, lambda: run_locust(
            folder, port, plan, label, limit_s))
    finally:
        stop(process)
    return {"records": results["records"], "rows": row_count(bare_db), "cpu": cpu}


def cpu_seconds(processes):
    """User + system CPU seconds used so far by `processes` (psutil.Process objects)."""
    total = 0.0
    for each in processes:
        try:
            times = each.cpu_times()
        except psutil.Error:  # ended meanwhile (a worker restarted, say): its seconds are lost
            continue
        total += times.user + times.system
    return total


def server_cpu_seconds(process):
    """User + system CPU seconds used so far by a gunicorn master and its workers."""
    try:
        processes = [psutil.Process(process.pid)]
        processes += processes[0].children(recursive=True)
    except psutil.NoSuchProcess:
        return 0.0
    return cpu_seconds(processes)


def database_cpu_seconds():
    """User + system CPU seconds used so far by this machine's PostgreSQL server processes.

    Tandem's PostgreSQL runs on the same 2 cores as gunicorn and locust, so its CPU is part of
    what a submission costs; the bare handler's SQLite works inside its gunicorn workers. A
    backend that ends during a phase takes its seconds with it (the pool keeps them open).
    """
    return cpu_seconds(each for each in psutil.process_iter(["name"])
                       if each.info["name"] == "postgres")


def postgresql_servers_beside(database_url):
    """Command lines of the PostgreSQL servers on this machine when the run is on SQLite.

    None of them serves an SQLite run, but their background work (a checkpoint writing what an
    earlier run left, autovacuum) shares the cores and the disk with both servers under test:
    one full SQLite run beside a PostgreSQL server that had just served a load run gave a ratio
    of 0.447, and the next, with the server stopped, 0.616. A PostgreSQL run's own server is
    measured instead (`database_cpu_seconds`).
    """
    if make_url(database_url).get_backend_name() != "sqlite":
        return []
    servers = []
    for each in psutil.process_iter(["name", "cmdline"]):
        if each.info["name"] != "postgres":
            continue
        try:  # a server is a postgres process whose parent is not one (backends' parent is)
            parent = each.parent()
            is_server = parent is None or parent.name() != "postgres"
        except psutil.Error:  # ended meanwhile
            continue
        if is_server:
            servers.append(" ".join(each.info["cmdline"] or ["postgres"]))
    return servers


def warn_of_servers_beside(database_url):
    """Print a warning naming each PostgreSQL server that competes with an SQLite run."""
    for server in postgresql_servers_beside(database_url):
        print(f"WARNING: a PostgreSQL server runs beside this SQLite run and competes for the "
              f"cores and the disk; stop it for figures that mean something: {server}",
              flush=True)


def with_server_cpu(process, call):
    """Run `call()` and return (its result, CPU seconds the server used meanwhile)."""
    before = server_cpu_seconds(process)
    result = call()
    return result, server_cpu_seconds(process) - before


def numbered(links):
    """(number, token) pairs for the locust plan; the number picks each person's answers."""
    return [(n, token) for n, (token, _round) in enumerate(links)]


class TandemRun:
    """Tandem's phases on one gunicorn server; the bare baseline is started beside it as needed."""

    def __init__(self, folder, database_url, org, args):
        self.folder, self.database_url, self.org, self.args = folder, database_url, org, args
        self.port, self.phases, self.digests, self.bare = free_port(), {}, {}, {}
        self.cpu, self.process = {}, None  # server CPU seconds per phase
        self.database_cpu = {}  # PostgreSQL's CPU seconds per phase (when it runs here)

    def run(self):
        """Every phase, in order; fills `phases`, `digests` and `bare`."""
        process = self.process = serve(self.folder, self.port, self.database_url, workers=WORKERS,
                                       extra_env={"RATELIMIT_ENABLED": "false"},
                                       log_path=f"{self.folder}/gunicorn.log")
        try:
            links = numbered(self.org.links)
            self.phases["journey"] = self._locust("journey", {
                "journey_users": SURVEY_USERS, "links": links[:self.args.journeys]},
                limit_s=SATURATION_LIMIT_S)["records"]
            people = self._prepare(links[self.args.journeys:])
            self.phases["burst"] = self._submissions("burst", people["burst"], paced=True, mixed=True)
            rate = self.args.people / self.args.burst_seconds
            self.bare["paced"] = measure_bare(self.folder, min(self.args.people, int(rate * PACED_BARE_S)),
                                              "bare-paced", rate)
            self._saturation(people["saturation"])
            if not self.args.no_mixed:
                self._forget_digests()
                self.phases["mixed"] = self._submissions("mixed", people["mixed"], mixed=True)
        finally:
            stop(process)

    def _saturation(self, people):
        """Phase (b): our rounds, each between two bare rounds of the same size."""
        size = -(-len(people) // SATURATION_ROUNDS)
        rounds = [people[start:start + size] for start in range(0, len(people), size)]
        self.bare["rounds"], self.saturation_rounds = [], []
        for number, group in enumerate(rounds, 1):
            self.bare["rounds"].append(measure_bare(self.folder, size, f"bare-{number}"))
            label = f"saturation-{number}"
            self.saturation_rounds.append(label)
            self.phases[label] = self._submissions(label, group)
        self.bare["rounds"].append(measure_bare(self.folder, size, f"bare-{len(rounds) + 1}"))

    def _locust(self, label, plan, limit_s):
        database_before = database_cpu_seconds()
        results, self.cpu[label] = with_server_cpu(self.process, lambda: run_locust(
            self.folder, self.port, {"finishers": SURVEY_USERS, **plan}, label, limit_s))
        self.database_cpu[label] = database_cpu_seconds() - database_before
        return results

    def _prepare(self, links):
        """Phase 2: link exchange + form GET for everyone; the prepared people, split by phase."""
        prepared = self._locust("prepare", {"prepare_users": SURVEY_USERS, "links": links},
                                limit_s=len(links) / 10 + RUN_MARGIN_S)
        self.phases["prepare"] = prepared["records"]
        people, sizes = prepared["prepared"], self._phase_sizes()
        split, start = {}, 0
        for phase, size in sizes.items():
            split[phase], start = people[start:start + size], start + size
        return split

    def _phase_sizes(self):
        sizes = {"burst": self.args.people, "saturation": self.args.saturation_people}
        sizes["mixed"] = 0 if self.args.no_mixed else self.args.saturation_people
        return sizes

    def _submissions(self, label, people, paced=False, mixed=False):
        """One submission phase: everyone's answers POST, paced or not, with the mix or not."""
        plan = {"submit_users": SURVEY_USERS, "prepared": people}
        limit_s = SATURATION_LIMIT_S
        if paced:
            plan["submit_rate"] = self.args.people / self.args.burst_seconds
            limit_s = self.args.burst_seconds + RUN_MARGIN_S
        if mixed:
            plan.update(manager_users=MANAGER_USERS, password=PASSWORD, accounts=self.org.managers)
        trigger = None
        if mixed:
            self.digests[label] = {}
            trigger = threading.Timer(DIGEST_AFTER[label], run_digests,
                                      (self.folder, self.database_url, self.digests[label],
                                       self.args.batch_nice))
            trigger.start()
        try:
            return self._locust(label, plan, limit_s)["records"]
        finally:
            if trigger:
                trigger.join()

    def _forget_digests(self):
        """Benchmark set-up: clear the digest ledger so phase (c)'s digest run does real work.

        A digest goes out once per manager and week, so a second run the same day would only
        find every digest sent already.
        """
        app = app_for(self.folder, self.database_url)
        with app.app_context():
            db.session.execute(delete(OutgoingMail).where(OutgoingMail.dedup_key.like("digest:%")))
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


def run_digests(folder, database_url, into, nice):
    """The weekly digest job as deploy.md's cron line starts it (at `nice`), timed; fills `into`."""
    start = time.perf_counter()
    into["began"] = time.time()
    try:
        into["output"] = flask_command(folder, database_url, "digests", "send",
                                       nice=nice).strip()
    except Exception as error:  # reported as an error in the table, never silently dropped
        into["output"] = f"failed: {error}"
    into["seconds"] = time.perf_counter() - start
    into["ended"] = time.time()


def stop(process):
    """Stop a gunicorn started by `serve` and wait for it."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stored_counts(folder, database_url, round_ids):
    """(responses, used invitations) in the open rounds, read back from the database."""
    app = app_for(folder, database_url)
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response)
                                      .where(Response.round_id.in_(round_ids)))
        used = db.session.scalar(select(func.count()).select_from(Invitation).where(
            Invitation.round_id.in_(round_ids), Invitation.used.is_(True)))
        db.session.remove()
        db.engine.dispose()
    return responses, used


HEADER = (f"  {'':<42} {'count':>6} {'errors':>6} {'per s':>7} {'seconds':>7} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'p99 ms':>7}")


def print_rows(rows):
    """One table line per (label, summary) pair; a phase that sent nothing says so."""
    print(HEADER)
    for label, row in rows:
        if row:
            print(f"  {label:<42} {row['count']:>6} {row['errors']:>6} {row['per_s']:>7.1f} "
                  f"{row['seconds']:>7.1f} {row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f}")
        else:
            print(f"  {label:<42} {'no requests':>6}")


def verdict(met):
    """MET or MISSED."""
    return "MET" if met else "MISSED"


def manager_rows(records):
    """Table rows of the manager requests in a phase's records."""
    return [(f"manager {name}", summarise(records, name)) for name in
            ("overview", "team", "sign in", "login page") if summarise(records, name)]


class Report:
    """Prints the figures phase by phase, each target beside the figure it judges."""

    def __init__(self, args, org, run, stored):
        self.args, self.org, self.run, self.stored = args, org, run, stored
        self.bare_rates = [steady_rate(b["records"], "submit") for b in run.bare["rounds"]]
        self.bare_rows = [summarise(b["records"], "submit") for b in run.bare["rounds"]]
        self.our_rates = [steady_rate(run.phases[label], "submit") for label in run.saturation_rounds]
        self.bare_mean = statistics.mean(self.bare_rates)
        self.saturation_records = [r for label in run.saturation_rounds for r in run.phases[label]]

    def print(self):
        """Everything, in the order the phases ran."""
        kind = "SQLite" if not self.args.database_url else self.args.database_url.split("://")[0]
        print(f"\nLoad: gunicorn -w {WORKERS} on loopback, {kind}; {SURVEY_USERS} concurrent survey "
              f"clients in every phase; the bare baseline is Flask + SQLite, measured in this run")
        self.journeys()
        self.preparation()
        self.burst()
        self.saturation()
        self.mixed()
        self.totals()

    def journeys(self):
        print(f"\n1. Whole journeys ({self.args.journeys} extra people; one journey = link → "
              f"cookie, form GET, answers POST = 3 requests; not the burst)")
        records = self.run.phases["journey"]
        print_rows([("whole journey (per journey)", summarise(records, "journey"))] +
                   [(f"  {name}", summarise(records, name)) for name in
                    ("journey link", "journey form", "journey submit")])

    def preparation(self):
        records = self.run.phases["prepare"]
        print(f"\n2. Preparation of the {sum(self.run._phase_sizes().values())} people of phases "
              f"a–c (link exchange + form GET; not submissions)")
        print_rows([("link exchange GET", summarise(records, "link")),
                    ("form GET (people prepared per s)", summarise(records, "form"))])

    def burst(self):
        rate = self.args.people / self.args.burst_seconds
        records = self.run.phases["burst"]
        ours = summarise(records, "submit")
        print(f"\n(a) BURST: {self.args.people} people answer within {self.args.burst_seconds:.0f} s "
              f"(Poisson arrivals, target {rate:.1f}/s over {SURVEY_USERS} clients), "
              f"{MANAGER_USERS} managers browsing, digest run")
        print_rows([("survey submission = answers POST", ours)] + manager_rows(records))
        print(f"  achieved: {ours['per_s']:.1f} submissions/s over {ours['seconds']:.0f} s "
              f"(target rate {rate:.1f}/s)")
        print(f"  p99 of a submission: {ours['p99']:.1f} ms (target ≤ {TARGET_P99_MS:.0f} ms) "
              f"{verdict(ours['p99'] <= TARGET_P99_MS)}")
        self.digest_split(records, self.run.digests.get("burst", {}))
        paced = summarise(self.run.bare["paced"]["records"], "submit")
        print(f"    for scale, the bare insert POST paced the same way, alone, just after "
              f"({paced['count']} posts): p50 {paced['p50']:.1f}, p95 {paced['p95']:.1f}, "
              f"p99 {paced['p99']:.1f} ms, {paced['errors']} errors")
        errors = sum(not r[3] for r in records)
        print(f"  errors in the burst (every request): {errors} (target 0) {verdict(errors == 0)}")
        self.server_cpu("burst", records)
        self.digest("burst")
        if ours["count"] < self.args.people:
            print(f"  the burst stopped at its time limit with {self.args.people - ours['count']} "
                  f"people unanswered: the figures above are over the answered ones")

    @staticmethod
    def digest_split(records, digest):
        """p99 of the submissions sent while the digest job ran, and of the others."""
        if "began" not in digest:
            return
        submits = [r for r in records if r[0] == "submit"]
        during = [r for r in submits if digest["began"] <= r[1] <= digest["ended"]]
        others = [r for r in submits if not digest["began"] <= r[1] <= digest["ended"]]
        for label, part in (("while the digest job ran", during), ("the rest of the time", others)):
            if part:
                times = sorted(r[2] for r in part)
                print(f"    p99 {label}: {percentile(times, 99):.1f} ms over {len(part)} submissions")

    def server_cpu(self, label, records):
        """Tandem's gunicorn CPU (master and workers, user + system) per request of a phase."""
        requests = len(records)
        if requests and label in self.run.cpu:
            print(f"  Tandem server CPU: {1000 * self.run.cpu[label] / requests:.2f} ms per request "
                  f"of the phase ({requests} requests, all kinds)")

    def digest(self, label):
        digest, nice = self.run.digests.get(label, {}), self.args.batch_nice
        how = " as docs/deploy.md's cron line runs batch jobs" if nice == BATCH_NICE else ""
        print(f"  digest run during the phase: {digest.get('output', 'did not run')} in "
              f"{digest.get('seconds', 0):.1f} s (a separate process at nice {nice}{how})")

    def saturation(self):
        rounds = len(self.our_rates)
        print(f"\n(b) SATURATION, submissions only: {self.args.saturation_people} answers POSTs in "
              f"{rounds} rounds, {SURVEY_USERS} clients, no wait, alternating with {rounds + 1} rounds "
              f"of the bare handler (same clients); rates are each round's steady state (middle "
              f"{STEADY_SHARE:.0%} of its requests)")
        rows = []
        for number, label in enumerate(self.run.saturation_rounds):
            rows.append((f"bare insert POST (round {number + 1})", self.bare_rows[number]))
            rows.append((f"survey submission = answers POST ({number + 1})",
                         summarise(self.run.phases[label], "submit")))
        rows.append((f"bare insert POST (round {rounds + 1})", self.bare_rows[-1]))
        print_rows(rows)
        ours = statistics.mean(self.our_rates)
        ratio = ours / self.bare_mean
        print(f"  steady submissions/s per round: ours {self.rates(self.our_rates)}; bare "
              f"{self.rates(self.bare_rates)}")
        print(f"  submissions/s: ours {ours:.1f} vs bare {self.bare_mean:.1f} (means of the rounds) "
              f"= {ratio:.3f} (target ≥ {TARGET_RATIO}) {verdict(ratio >= TARGET_RATIO)}; "
              f"round by round (each ours over the mean of the bare rounds beside it): "
              f"{self.rates(self.round_ratios(), 2)}")
        ours_p99 = percentile(sorted(r[2] for r in self.saturation_records if r[0] == "submit"), 99)
        bare_p99 = " / ".join(f"{b['p99']:.1f}" for b in self.bare_rows)
        print(f"  p99: ours {ours_p99:.1f} ms, bare {bare_p99} ms (saturated; the p99 target is "
              f"judged in (a))")
        bare_cpu = sum(b["cpu"] for b in self.run.bare["rounds"]) / sum(
            len(b["records"]) for b in self.run.bare["rounds"])
        ours_cpu = sum(self.run.cpu[label] for label in self.run.saturation_rounds) / len(
            self.saturation_records)
        print(f"  server CPU per POST (gunicorn master + workers, user + system): ours "
              f"{1000 * ours_cpu:.2f} ms, bare {1000 * bare_cpu:.2f} ms = {ours_cpu / bare_cpu:.1f}× bare")
        if self.run.database_url.startswith("postgresql"):
            database_cpu = sum(self.run.database_cpu[label] for label in
                               self.run.saturation_rounds) / len(self.saturation_records)
            print(f"  PostgreSQL server CPU per POST (this machine's postgres processes): "
                  f"{1000 * database_cpu:.2f} ms; ours with it {1000 * (ours_cpu + database_cpu):.2f} "
                  f"ms = {(ours_cpu + database_cpu) / bare_cpu:.1f}× bare (whose SQLite runs in "
                  f"its workers)")

    def round_ratios(self):
        """Each of our rounds over the mean of the two bare rounds either side of it."""
        return [ours / statistics.mean(self.bare_rates[n:n + 2])
                for n, ours in enumerate(self.our_rates)]

    @staticmethod
    def rates(values, digits=1):
        """Numbers as `a, b, c`."""
        return ", ".join(f"{value:.{digits}f}" for value in values)

    def mixed(self):
        if "mixed" not in self.run.phases:
            print("\n(c) saturation with managers and digest: skipped (--no-mixed)")
            return
        records = self.run.phases["mixed"]
        ours = summarise(records, "submit")
        print(f"\n(c) SATURATION with {MANAGER_USERS} managers browsing and a digest run mixed in: "
              f"{self.args.saturation_people} answers POSTs, no wait (digest ledger cleared by "
              f"the benchmark first, so the run sends them again)")
        print_rows([("survey submission = answers POST (ours)", ours)] + manager_rows(records))
        steady = steady_rate(records, "submit")
        print(f"  steady submissions/s: {steady:.1f} = {steady / self.bare_mean:.2f} of bare "
              f"(the mix costs {1 - steady / statistics.mean(self.our_rates):.0%} of (b)'s rate)")
        self.digest_split(records, self.run.digests.get("mixed", {}))
        self.server_cpu("mixed", records)
        self.digest("mixed")

    def totals(self):
        tandem = [r for records in self.run.phases.values() for r in records if r[0] != "journey"]
        failed_digests = sum(not d.get("output", "").startswith("sent") for d in self.run.digests.values())
        errors = sum(not r[3] for r in tandem) + failed_digests
        print(f"\nerrors, every Tandem request of every phase and the digest runs: {errors} "
              f"(target 0) {verdict(errors == 0)}; bare errors "
              f"{sum(b['errors'] for b in self.bare_rows)}")
        answered = sum(r[0] in ("submit", "journey submit") and r[3] for records in
                       self.run.phases.values() for r in records)
        consistent = self.stored[0] == self.stored[1] == answered
        print(f"stored: {self.stored[0]} responses, {self.stored[1]} invitations used, "
              f"{answered} submissions answered with success, of {len(self.org.links)} links "
              f"({'consistent' if consistent else 'NOT CONSISTENT'}); bare rows "
              f"{' + '.join(str(b['rows']) for b in self.run.bare['rounds'])}")


def main(argv=None):
    """Build, measure Tandem and the baseline in the same run, print the tables."""
    args = parse_args(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        database_url = database_url_for(folder, args.database_url)
        warn_of_servers_beside(database_url)
        start = time.perf_counter()
        n_people = args.people + args.saturation_people * (1 if args.no_mixed else 2) + args.journeys
        org = prepare(folder, database_url, n_people, HISTORY_WEEKS)
        print(f"prepared {n_people} people, {len(org.round_ids)} teams in "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        run = TandemRun(folder, database_url, org, args)
        run.run()
        Report(args, org, run, stored_counts(folder, database_url, org.round_ids)).print()
        warn_of_servers_beside(database_url)  # again where the figures are read
        print(f"whole run {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
