"""Fault loop: SIGKILL the server at random points of a submission and import loop, then check.

Run: `python -m benchmarks.faults [--rounds 100] [--database-url URL] [--seed N]`.

Each round starts every managed process (today the gunicorn web server; a Celery worker can be
added to `managed_processes` as a second kind), lets client threads answer surveys through the
real links and post message batches to `POST /api/v1/messages` for a random time, then SIGKILLs
each process's whole process group (gunicorn master and workers at once). Every request that got
a success answer is written down, and so is every one left without an answer (it may or may not
have been stored). After the last round the database must pass its integrity check, hold every
success-answered submission and message, and have exactly one stored response per used
invitation, round by round (the only link between the two: a response never names its person).
"""
import argparse
import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import requests
from sqlalchemy import and_, exists, func, select, text

from app.extensions import db
from benchmarks.pages import serve
from benchmarks.surveyorg import ADMIN_EMAIL, app_for, database_url_for, prepare
from surveys.api_tokens import create_api_token
from surveys.db import Base, utcnow
from surveys.messages.consent import grant_consent
from surveys.messages.records import message_hash
from surveys.messages.switch import enable_sampling
from surveys.models import Invitation, Manager, Member, MessageSample, Response
from tests.smtp_server import free_port

#: gunicorn workers of the web process under test.
WORKERS = 2
SUBMITTERS = 3
IMPORTERS = 1
#: Links per round: more than the submitters can use in the longest round.
LINKS_PER_ROUND = 60
#: Seconds the clients run before the kill, drawn uniformly (after the server is ready); long
#: enough that a fresh worker can load the text scorer and answer an import now and then.
KILL_AFTER = (0.5, 5.0)
#: Messages per import request.
BATCH = 5
#: Members who opt in to message sampling (the authors of the imported messages).
AUTHORS = 20
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
ITEM = re.compile(r'name="(item_[^"]+)"')


@dataclass
class ManagedProcess:
    """A kind of process the loop starts, kills and restarts; `start` returns it ready."""

    name: str
    start: Callable[[], subprocess.Popen]
    process: subprocess.Popen | None = None

    def launch(self):
        """Start the process (and wait until it is ready)."""
        self.process = self.start()

    def kill(self):
        """SIGKILL the process and everything in its process group (e.g. gunicorn's workers)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # already gone: nothing left to kill
        self.process.wait()
        self.process = None


@dataclass
class Ledger:
    """What the clients were told, shared by their threads."""

    succeeded: Counter = field(default_factory=Counter)   # round id → success-answered submissions
    in_doubt: Counter = field(default_factory=Counter)    # round id → POSTs left without an answer
    refused: Counter = field(default_factory=Counter)     # status → definite refusals (nothing stored)
    imported: set = field(default_factory=set)            # message ids of success-answered imports
    imports_in_doubt: set = field(default_factory=set)
    import_refused: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, counter, key, ids=None):
        """Count one outcome (and remember message ids with it), under the lock."""
        with self.lock:
            if ids is not None:
                counter.update(ids)
            else:
                counter[key] += 1


@dataclass
class Setup:
    """The run's fixed material."""

    base: str
    links: queue.Queue
    authors: list
    ingest_token: str


def parse_args(argv):
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.faults", description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=100, help="kill-and-restart rounds (default 100)")
    parser.add_argument("--database-url", help="an empty database to migrate and use; default: "
                        "a fresh SQLite file")
    parser.add_argument("--seed", type=int, default=None, help="random seed for the kill delays")
    return parser.parse_args(argv)


def prepare_messages(folder, database_url):
    """Switch sampling on, let AUTHORS members opt in to the API source; an ingest token."""
    app = app_for(folder, database_url)
    with app.app_context():
        session, now = db.session, utcnow()
        enable_sampling(session, "DPIA-fault-loop", "We sample work messages.", ADMIN_EMAIL, now)
        authors = session.scalars(select(Member).order_by(Member.id).limit(AUTHORS)).all()
        for member in authors:
            grant_consent(session, member, ["api"], now)
        admin = session.scalar(select(Manager).where(Manager.email == ADMIN_EMAIL))
        _row, token = create_api_token(session, admin, "fault loop", "ingest")
        emails = [m.email for m in authors]
        db.session.remove()
        db.engine.dispose()
    return emails, token


def submitter(setup, ledger, stop):
    """Answer surveys through the links until told to stop; a link not yet POSTed goes back."""
    http = requests.Session()
    while not stop.is_set():
        try:
            number, token, round_id = setup.links.get_nowait()
        except queue.Empty:
            return
        if not _answer(http, setup, ledger, (number, token, round_id)):
            setup.links.put((number, token, round_id))  # never POSTed: nothing can be stored


def _answer(http, setup, ledger, link):
    """One person's journey; False when it ended before the answers were sent."""
    number, token, round_id = link
    try:
        http.get(f"{setup.base}/s/{token}", allow_redirects=False, timeout=10)
        page = http.get(f"{setup.base}/s/", timeout=10)
        items = sorted(set(ITEM.findall(page.text)))
        data = {name: str(1 + (number + i) % 5) for i, name in enumerate(items)}
        data.update(enps=str(number % 11), csrf_token=CSRF.search(page.text).group(1))
    except (requests.RequestException, AttributeError):
        return False
    try:
        answer = http.post(f"{setup.base}/s/", data=data, allow_redirects=False, timeout=10)
    except requests.RequestException:
        ledger.add(ledger.in_doubt, round_id)
        return True
    if answer.status_code == 303 and answer.headers.get("Location", "").endswith("/s/thanks"):
        ledger.add(ledger.succeeded, round_id)
    else:
        ledger.add(ledger.refused, answer.status_code)
    return True


def importer(setup, ledger, stop, prefix):
    """Post batches of messages with fresh ids until told to stop."""
    http = requests.Session()
    headers = {"Authorization": f"Bearer {setup.ingest_token}", "Content-Type": "application/json"}
    number = 0
    while not stop.is_set():
        ids = [f"{prefix}-{number}-{i}" for i in range(BATCH)]
        number += 1
        body = [{"message_id": mid, "author_email": setup.authors[(number + i) % len(setup.authors)],
                 "sent_at": utcnow().isoformat(), "text": "Thanks for the leads, the follow-up works."}
                for i, mid in enumerate(ids)]
        try:
            answer = http.post(f"{setup.base}/api/v1/messages", data=json.dumps(body),
                               headers=headers, timeout=30)
        except requests.RequestException:
            ledger.add(ledger.imports_in_doubt, None, ids)
            continue
        if answer.status_code == 200 and answer.json().get("received") == BATCH:
            ledger.add(ledger.imported, None, ids)
        else:
            ledger.add(ledger.import_refused, answer.status_code)


def run_round(number, processes, setup, ledger, rng):
    """Start everything, let the clients run for a random time, SIGKILL everything; seconds run."""
    for managed in processes:
        managed.launch()
    stop = threading.Event()
    threads = [threading.Thread(target=submitter, args=(setup, ledger, stop)) for _ in range(SUBMITTERS)]
    threads += [threading.Thread(target=importer, args=(setup, ledger, stop, f"r{number}-i{i}"))
                for i in range(IMPORTERS)]
    for thread in threads:
        thread.start()
    delay = rng.uniform(*KILL_AFTER)
    time.sleep(delay)
    for managed in rng.sample(processes, len(processes)):  # in a random order
        managed.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return delay


def managed_processes(folder, database_url, port):
    """The process kinds under test: the web server now; a Celery worker joins this list later."""
    def web():
        # Preloaded: the app is imported once, not once per worker, which halves each restart on
        # a 2-core machine (a restart is most of a round); killing and recovery are unchanged.
        return serve(folder, port, database_url, workers=WORKERS, preload=True,
                     extra_env={"RATELIMIT_ENABLED": "false"}, log_path=f"{folder}/gunicorn.log")
    return [ManagedProcess("web", web)]


def integrity_problems(session):
    """Problems the database's own checks and a portable orphan check find."""
    problems = []
    dialect = session.get_bind().dialect.name
    # ---- engine-specific integrity checks (the only non-portable SQL here) ----
    if dialect == "sqlite":
        result = session.execute(text("PRAGMA integrity_check")).scalars().all()
        if result != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {result[:5]}")
        orphans = session.execute(text("PRAGMA foreign_key_check")).all()
        if orphans:
            problems.append(f"PRAGMA foreign_key_check: {len(orphans)} row(s), e.g. {orphans[:3]}")
    elif dialect == "postgresql":
        invalid = session.execute(text(
            "SELECT conname FROM pg_constraint WHERE NOT convalidated")).scalars().all()
        if invalid:
            problems.append(f"constraints not validated: {invalid}")
    # ---- end of engine-specific checks ----
    return problems + orphan_problems(session)


def orphan_problems(session):
    """Rows whose foreign key points at nothing, for every foreign key in the models."""
    problems = []
    for table in Base.metadata.sorted_tables:
        for constraint in table.foreign_key_constraints:
            parent = constraint.referred_table.alias()  # an alias, so self-references work
            pairs = [(element.parent, parent.c[element.column.name]) for element in constraint.elements]
            query = (select(func.count()).select_from(table)
                     .where(*[child.is_not(None) for child, _ in pairs],
                            ~exists().where(and_(*[child == ref for child, ref in pairs]))))
            count = session.scalar(query)
            if count:
                problems.append(f"{table.name}.{constraint.name}: {count} orphan row(s)")
    return problems


def survey_problems(session, ledger):
    """Per round: used invitations == stored responses, and success answers all stored."""
    used = dict(session.execute(select(Invitation.round_id, func.count())
                                .where(Invitation.used.is_(True)).group_by(Invitation.round_id)).all())
    stored = dict(session.execute(select(Response.round_id, func.count())
                                  .group_by(Response.round_id)).all())
    problems = []
    for round_id in sorted(set(used) | set(stored) | set(ledger.succeeded)):
        u, s = used.get(round_id, 0), stored.get(round_id, 0)
        ok, doubt = ledger.succeeded[round_id], ledger.in_doubt[round_id]
        if u != s:
            problems.append(f"round {round_id}: {u} invitation(s) used but {s} response(s) stored")
        if not ok <= s <= ok + doubt:
            problems.append(f"round {round_id}: {s} stored, but {ok} success answer(s) and "
                            f"{doubt} without an answer")
    return problems


def message_problems(session, ledger):
    """Every success-answered message is stored once; nothing stored that was never sent."""
    stored = Counter(session.scalars(select(MessageSample.message_hash)
                                     .where(MessageSample.source == "api")).all())
    problems = []
    missing = [mid for mid in ledger.imported if message_hash("api", mid) not in stored]
    if missing:
        problems.append(f"{len(missing)} success-answered message(s) missing, e.g. {missing[:3]}")
    duplicated = [h for h, n in stored.items() if n > 1]
    if duplicated:
        problems.append(f"{len(duplicated)} message(s) stored twice")
    sent = {message_hash("api", mid) for mid in ledger.imported | ledger.imports_in_doubt}
    if set(stored) - sent:
        problems.append(f"{len(set(stored) - sent)} stored message(s) that were never sent")
    return problems


def check(folder, database_url, ledger):
    """{check name: [problems]} after the loop."""
    app = app_for(folder, database_url)
    with app.app_context():
        session = db.session
        results = {"integrity": integrity_problems(session),
                   "surveys": survey_problems(session, ledger),
                   "messages": message_problems(session, ledger)}
        stored = {"responses": session.scalar(select(func.count()).select_from(Response)),
                  "messages": session.scalar(select(func.count()).select_from(MessageSample))}
        db.session.remove()
        db.engine.dispose()
    return results, stored


@dataclass
class Outcome:
    """What a fault run found."""

    rounds: int
    ledger: Ledger
    problems: dict
    stored: dict
    seconds: float
    delays: list

    @property
    def ok(self):
        """No check found a problem."""
        return not any(self.problems.values())


def run(folder, rounds, database_url=None, seed=None, links_per_round=LINKS_PER_ROUND):
    """The whole fault loop in `folder`; returns the Outcome."""
    rng = random.Random(seed)
    database_url = database_url_for(folder, database_url)
    org = prepare(folder, database_url, max(50, rounds * links_per_round), history_weeks=0)
    authors, token = prepare_messages(folder, database_url)
    links = queue.Queue()
    for number, (link, round_id) in enumerate(org.links):
        links.put((number, link, round_id))
    port = free_port()
    setup, ledger = Setup(f"http://127.0.0.1:{port}", links, authors, token), Ledger()
    processes = managed_processes(folder, database_url, port)
    start, delays = time.perf_counter(), []
    try:
        for number in range(rounds):
            delays.append(run_round(number, processes, setup, ledger, rng))
    finally:
        for managed in processes:
            managed.kill()
    problems, stored = check(folder, database_url, ledger)
    return Outcome(rounds, ledger, problems, stored, time.perf_counter() - start, delays)


def report(outcome, processes=("web",)):
    """Print the outcome as a table."""
    ledger = outcome.ledger
    print(f"\nFault loop: {outcome.rounds} rounds, SIGKILL of {', '.join(processes)} after "
          f"{min(outcome.delays):.1f}–{max(outcome.delays):.1f} s each; {outcome.seconds:.0f} s in all")
    rows = [("submissions answered success", sum(ledger.succeeded.values())),
            ("submissions left without an answer", sum(ledger.in_doubt.values())),
            ("submissions refused (status: count)", dict(ledger.refused) or 0),
            ("responses stored", outcome.stored["responses"]),
            ("messages answered success", len(ledger.imported)),
            ("messages left without an answer", len(ledger.imports_in_doubt)),
            ("imports refused (status: count)", dict(ledger.import_refused) or 0),
            ("messages stored", outcome.stored["messages"])]
    rows += [(f"check: {name}", "ok" if not found else f"{len(found)} problem(s)")
             for name, found in outcome.problems.items()]
    for label, value in rows:
        print(f"{label:<40} {value}")
    for name, found in outcome.problems.items():
        for problem in found[:10]:
            print(f"  {name}: {problem}")
    print("RESULT:", "all checks passed" if outcome.ok else "FAILED")


def main(argv=None):
    """Run the loop in a temporary folder and print the table; exit 1 on any problem."""
    args = parse_args(argv if argv is not None else sys.argv[1:])
    with tempfile.TemporaryDirectory() as folder:
        outcome = run(folder, args.rounds, args.database_url, args.seed)
        report(outcome)
    sys.exit(0 if outcome.ok else 1)


if __name__ == "__main__":
    main()
