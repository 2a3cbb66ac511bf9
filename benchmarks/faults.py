"""Fault loop: SIGKILL the web server and the Celery worker at random points of a submission and
import loop, then check.

Run: `python -m benchmarks.faults [--rounds 100] [--database-url URL] [--seed N] [--no-worker]`.

The loop starts a redis-server and an SMTP server (aiosmtpd) on loopback and leaves them running:
the broker and the relay are not what is killed. Each round starts whichever managed process is
not running (the gunicorn web server; a prefork Celery worker, concurrency 1), queues the digest
job, lets client threads answer surveys through the real links and post message batches to
`POST /api/v1/messages` (answered 202: a worker scores and stores them), then SIGKILLs the web
server, the worker or both (drawn at random), each after a random delay, each whole process group
at once (gunicorn master and workers; celery main process and pool). Every request that got a
success answer is written down, and so is every one left without an answer (it may or may not
have been stored). After the last round a worker drains the queue (bounded wait); then the
database must pass its integrity check, hold every success-answered submission and message
exactly once, have exactly one stored response per used invitation, round by round (the only link
between the two: a response never names its person), and no e-mail may have reached the relay
twice or be recorded as sent without having arrived.

With `--no-worker` there is no broker: only the web server is killed, and it stores imports
itself (answered 200).
"""
import argparse
import datetime as dt
import json
import os
import queue
import random
import re
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Callable

import requests
from sqlalchemy import and_, exists, func, select, text
from urllib3.exceptions import NewConnectionError

from app.extensions import db
from app.scheduler import requeue_kept_batches
from app.tasks import enqueue, init_celery
from benchmarks.pages import serve
from benchmarks.surveyorg import ADMIN_EMAIL, app_for, database_url_for, prepare, server_env
from surveys.api_tokens import create_api_token
from surveys.db import Base, utcnow
from surveys.digests import managers_due_digest
from surveys.messages.consent import grant_consent
from surveys.messages.kept import STALE_AFTER
from surveys.messages.records import message_hash
from surveys.messages.switch import enable_sampling
from surveys.models import (
    Invitation, KeptMessageBatch, MailState, Manager, Member, MessageSample, OutgoingMail, Response)
from tests.services import CeleryWorker, RedisServer
from tests.smtp_server import SmtpServer, free_port

#: gunicorn workers of the web process under test.
WORKERS = 2
SUBMITTERS = 3
IMPORTERS = 1
#: Links per round: more than the submitters can use in the longest round.
LINKS_PER_ROUND = 60
#: Seconds the clients run before the kill, drawn uniformly (after the server is ready); long
#: enough that a fresh worker can load the text scorer and answer an import now and then.
KILL_AFTER = (0.5, 5.0)
#: Seconds a client waits after a request failed before the next one.
RETRY_PAUSE = 0.05
#: Messages per import request.
BATCH = 5
#: Members who opt in to message sampling (the authors of the imported messages).
AUTHORS = 20
#: Seconds before Redis hands a killed worker's task to the next worker. Short, so a round's
#: killed work is redelivered rounds later rather than after the loop; a task still running past
#: it may start a second time, which the tasks must survive anyway (they are idempotent).
VISIBILITY_TIMEOUT = 2
#: Longest wait, after the last round, for a worker to empty the queue.
DRAIN_TIMEOUT = 300
#: What a round may kill, drawn uniformly, when there is a worker.
VICTIMS = (("web",), ("worker",), ("web", "worker"))
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
ITEM = re.compile(r'name="(item_[^"]+)"')


class WebServer:
    """A gunicorn started by `benchmarks.pages.serve`, in a process group of its own."""

    def __init__(self, process):
        self.process = process

    def kill(self):
        """SIGKILL the master and every worker at once."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # already gone: nothing left to kill
        self.process.wait()


@dataclass
class ManagedProcess:
    """A kind of process the loop starts, kills and restarts.

    `start` returns it ready, as an object with `.process` (its Popen, leader of its own process
    group) and `.kill()` (SIGKILL to the whole group), like WebServer and CeleryWorker.
    """

    name: str
    start: Callable[[], object]
    handle: object | None = None

    @property
    def running(self):
        """Started and not killed by the loop (it may still have died by itself)."""
        return self.handle is not None

    def died_by_itself(self):
        """True when the loop started it and it has exited without being killed."""
        return self.handle is not None and self.handle.process.poll() is not None

    def launch(self):
        """Start the process (and wait until it is ready)."""
        self.handle = self.start()

    def kill(self):
        """SIGKILL the process and everything in its process group (e.g. gunicorn's workers)."""
        if self.handle is not None:
            self.handle.kill()
            self.handle = None


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
    parser.add_argument("--no-worker", action="store_true",
                        help="no broker or worker: only the web server is killed, imports stored "
                        "by the web process itself")
    parser.add_argument("--keep", metavar="DIR", help="run in DIR and keep it (gunicorn and worker "
                        "logs, the SQLite file) instead of a temporary folder removed at the end")
    return parser.parse_args(argv)


class QueueServices:
    """The redis-server and SMTP relay of a run, and a Celery client to queue jobs with.

    Started once and left running: the loop kills the web server and the worker, not these.
    """

    def __init__(self, folder, database_url, stack):
        self.redis = RedisServer(folder)
        stack.callback(self.redis.stop)
        self.smtp = stack.enter_context(SmtpServer())
        # The loop's own client plays cron or beat: it queues the digest job each round.
        self.app = app_for(folder, database_url)
        self.app.config.update(self.settings())
        stack.callback(init_celery(self.app).close)

    def settings(self):
        """The broker and relay settings shared by the web server, the worker and the client."""
        return {"CELERY_BROKER_URL": self.redis.url(0),
                "CELERY_VISIBILITY_TIMEOUT": VISIBILITY_TIMEOUT,
                "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.smtp.port}

    def env(self):
        """`settings` as environment variables for a subprocess."""
        return {name: str(value) for name, value in self.settings().items()}

    def queue_digests(self):
        """Ask the workers for the weekly digests that are due, as beat or cron would."""
        with self.app.app_context():
            enqueue("send_digests")

    def requeue_kept_batches(self):
        """What the periodic jobs do once STALE_AFTER has passed: queue again every accepted
        message batch no worker finished (a task Redis lost); returns how many."""
        with self.app.app_context():
            later = utcnow() + STALE_AFTER + dt.timedelta(minutes=1)
            self.requeued = requeue_kept_batches(db.session, later)
            db.session.remove()
        return self.requeued

    def kept_batches(self):
        """How many accepted message batches still wait for a worker to store them."""
        with self.app.app_context():
            count = db.session.scalar(select(func.count()).select_from(KeptMessageBatch))
            db.session.remove()
        return count

    def backlog(self):
        """(tasks waiting, tasks delivered but not acknowledged) on the broker."""
        client = self.redis.client
        return client.llen("celery"), client.hlen("unacked")


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
            time.sleep(RETRY_PAUSE)  # most likely the server is down: do not spin


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


def never_sent(error):
    """True when the connection was refused: the request never left this process."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError)


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
        except requests.RequestException as error:
            if not never_sent(error):
                ledger.add(ledger.imports_in_doubt, None, ids)
            time.sleep(RETRY_PAUSE)  # the server is down: do not spin until the round ends
            continue
        # 200: stored by the web process; 202: queued for a worker. Both promise the batch.
        if answer.status_code in (200, 202) and answer.json().get("received") == BATCH:
            ledger.add(ledger.imported, None, ids)
        else:
            ledger.add(ledger.import_refused, answer.status_code)


@dataclass
class Round:
    """What one round killed, and after how many seconds each."""

    victims: tuple
    delays: list


def start_stopped(processes):
    """Start every process not running, side by side (each restart takes seconds); their names.

    One that died without being killed is a finding: it raises, and the run stops.
    """
    for managed in processes:
        if managed.died_by_itself():
            raise RuntimeError(f"the {managed.name} process exited without being killed")
    stopped = [managed for managed in processes if not managed.running]
    with ThreadPoolExecutor(max_workers=max(1, len(stopped))) as pool:
        for future in [pool.submit(managed.launch) for managed in stopped]:
            future.result()  # re-raises a failed start
    return [managed.name for managed in stopped]


def pick_victims(processes, rng):
    """web, worker or both at random (just the web server without a worker)."""
    names = {managed.name for managed in processes}
    choices = [victims for victims in VICTIMS if set(victims) <= names]
    return rng.choice(choices)


def run_round(number, processes, setup, ledger, rng, services=None, kill_after=KILL_AFTER):
    """Start what is stopped, run the clients, SIGKILL a random choice at random times; a Round."""
    start_stopped(processes)
    if services is not None:
        services.queue_digests()
    stop = threading.Event()
    threads = [threading.Thread(target=submitter, args=(setup, ledger, stop)) for _ in range(SUBMITTERS)]
    threads += [threading.Thread(target=importer, args=(setup, ledger, stop, f"r{number}-i{i}"))
                for i in range(IMPORTERS)]
    for thread in threads:
        thread.start()
    victims = pick_victims(processes, rng)
    # Each victim its own delay, so "both" also covers one dying well before the other.
    schedule = sorted((rng.uniform(*kill_after), name) for name in victims)
    by_name, elapsed = {managed.name: managed for managed in processes}, 0.0
    for delay, name in schedule:
        time.sleep(delay - elapsed)
        by_name[name].kill()
        elapsed = delay
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    return Round(victims, [delay for delay, _ in schedule])


def managed_processes(folder, database_url, port, services=None):
    """The process kinds under test: the web server, and a Celery worker when there is a broker."""
    queue_env = services.env() if services is not None else {}

    def web():
        # Preloaded: the app is imported once, not once per worker, which halves each restart on
        # a 2-core machine (a restart is most of a round); killing and recovery are unchanged.
        return WebServer(serve(folder, port, database_url, workers=WORKERS, preload=True,
                               extra_env={"RATELIMIT_ENABLED": "false", **queue_env},
                               log_path=f"{folder}/gunicorn.log"))

    starts = Counter()

    def worker():
        starts["worker"] += 1  # a log file per start: a killed worker's last lines stay readable
        number = starts["worker"]
        env = {**server_env(folder, database_url), **queue_env, "SCHEDULER_ENABLED": "0"}
        return CeleryWorker(env, f"{folder}/worker-{number}.log", f"fault{number}")

    processes = [ManagedProcess("web", web)]
    if services is not None:
        processes.append(ManagedProcess("worker", worker))
    return processes


def drain(processes, services, timeout=DRAIN_TIMEOUT):
    """Stop the web server, let a worker empty the queue; problems if it could not in `timeout`."""
    by_name = {managed.name: managed for managed in processes}
    by_name["web"].kill()  # no more clients: nothing new is queued
    start_stopped([by_name["worker"]])
    deadline = time.monotonic() + timeout
    problems = _wait_for_empty_queue(services, deadline, timeout)
    if problems:
        return problems
    services.requeue_kept_batches()
    # The database, not the broker, says when every accepted batch is stored: an empty queue can
    # be read in the instant between a worker popping a task and recording it as unacknowledged.
    while services.kept_batches() and time.monotonic() < deadline:
        time.sleep(0.5)
    left = services.kept_batches()
    return [f"{left} accepted message batch(es) still not stored after {timeout} s"] if left else []


def _wait_for_empty_queue(services, deadline, timeout):
    # A killed worker's task comes back once the visibility timeout has passed and the worker's
    # restore cycle (every 10 s) sees it, so "empty" means both the list and the unacked set.
    while services.backlog() != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.5)
    waiting, unacked = services.backlog()
    if waiting or unacked:
        return [f"queue not drained in {timeout} s: {waiting} waiting, {unacked} unacknowledged"]
    return []


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


def mail_problems(session, received):
    """No e-mail at the relay twice or unrecorded, none recorded sent but missing, none left due.

    `received` are the messages the relay took. A ledger row still `sending` belongs to a worker
    killed mid-send: the relay may or may not have it, and it is never sent again.
    """
    rows = session.execute(select(OutgoingMail.dedup_key, OutgoingMail.recipient,
                                  OutgoingMail.state)).all()
    keys_of = Counter(recipient for _key, recipient, _state in rows)
    arrived = Counter(str(message["To"]) for message in received)
    problems = []
    twice = {to: n for to, n in arrived.items() if n > keys_of[to]}
    if twice:
        problems.append(f"{len(twice)} recipient(s) got more e-mails than they have ledger keys "
                        f"(a key sent twice), e.g. {sorted(twice.items())[:3]}")
    unrecorded = [to for to in arrived if not keys_of[to]]
    if unrecorded:
        problems.append(f"{len(unrecorded)} recipient(s) got e-mail with no ledger row")
    missing = [key for key, to, state in rows if state == MailState.SENT and not arrived[to]]
    if missing:
        problems.append(f"{len(missing)} e-mail(s) recorded sent never arrived, e.g. {missing[:3]}")
    left = managers_due_digest(session, utcnow())
    if left:
        problems.append(f"{len(left)} digest(s) still due after the queue was drained")
    return problems


def check(folder, database_url, ledger, received=None):
    """({check name: [problems]}, {what: how many stored}) after the loop.

    `received`: the e-mails the relay took, when the run had a worker (None: no mail checks).
    """
    app = app_for(folder, database_url)
    with app.app_context():
        session = db.session
        results = {"integrity": integrity_problems(session),
                   "surveys": survey_problems(session, ledger),
                   "messages": message_problems(session, ledger)}
        stored = {"responses": session.scalar(select(func.count()).select_from(Response)),
                  "messages": session.scalar(select(func.count()).select_from(MessageSample))}
        if received is not None:
            results["mail"] = mail_problems(session, received)
            states = session.execute(select(OutgoingMail.state, func.count())
                                     .group_by(OutgoingMail.state)).all()
            stored["mail"] = {state.value: count for state, count in states}
            stored["mail at the relay"] = len(received)
        db.session.remove()
        db.engine.dispose()
    return results, stored


@dataclass
class Outcome:
    """What a fault run found."""

    rounds: list            # a Round each
    ledger: Ledger
    problems: dict
    stored: dict
    seconds: float

    @property
    def kills(self):
        """Rounds by what they killed: {"web": n, "worker": n, "web+worker": n}."""
        return Counter("+".join(r.victims) for r in self.rounds)

    @property
    def delays(self):
        """Every kill delay of the run, in seconds."""
        return [delay for r in self.rounds for delay in r.delays]

    @property
    def ok(self):
        """No check found a problem."""
        return not any(self.problems.values())


def run(folder, rounds, database_url=None, seed=None, links_per_round=LINKS_PER_ROUND,
        worker=True, kill_after=KILL_AFTER):
    """The whole fault loop in `folder` (with a broker and a worker unless `worker` is False)."""
    rng = random.Random(seed)
    database_url = database_url_for(folder, database_url)
    org = prepare(folder, database_url, max(50, rounds * links_per_round), history_weeks=0)
    authors, token = prepare_messages(folder, database_url)
    links = queue.Queue()
    for number, (link, round_id) in enumerate(org.links):
        links.put((number, link, round_id))
    port = free_port()
    setup, ledger = Setup(f"http://127.0.0.1:{port}", links, authors, token), Ledger()
    start, done, drained = time.perf_counter(), [], []
    with ExitStack() as stack:
        services = QueueServices(folder, database_url, stack) if worker else None
        processes = managed_processes(folder, database_url, port, services)
        try:
            for number in range(rounds):
                done.append(run_round(number, processes, setup, ledger, rng, services, kill_after))
            if services is not None:
                drained = drain(processes, services)
        finally:
            for managed in processes:
                managed.kill()
        received = list(services.smtp.messages) if services is not None else None
    problems, stored = check(folder, database_url, ledger, received)
    if services is not None:
        problems["queue"] = drained
        stored["message batches queued again after the drain"] = getattr(services, "requeued", 0)
    return Outcome(done, ledger, problems, stored, time.perf_counter() - start)


def report(outcome):
    """Print the outcome as a table."""
    ledger = outcome.ledger
    kills = ", ".join(f"{name} {count}" for name, count in sorted(outcome.kills.items()))
    print(f"\nFault loop: {len(outcome.rounds)} rounds, SIGKILL of {kills} (rounds), each after "
          f"{min(outcome.delays):.1f}–{max(outcome.delays):.1f} s; {outcome.seconds:.0f} s in all")
    rows = [("submissions answered success", sum(ledger.succeeded.values())),
            ("submissions left without an answer", sum(ledger.in_doubt.values())),
            ("submissions refused (status: count)", dict(ledger.refused) or 0),
            ("responses stored", outcome.stored["responses"]),
            ("messages answered success", len(ledger.imported)),
            ("messages left without an answer", len(ledger.imports_in_doubt)),
            ("imports refused (status: count)", dict(ledger.import_refused) or 0),
            ("messages stored", outcome.stored["messages"])]
    if "mail" in outcome.stored:
        rows += [("mail ledger (state: count)", outcome.stored["mail"]),
                 ("mail at the relay", outcome.stored["mail at the relay"])]
        rows.append(("message batches queued again (lost tasks)",
                     outcome.stored["message batches queued again after the drain"]))
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
    with ExitStack() as stack:
        # The logs are what explains a failed check: --keep leaves them behind.
        folder = args.keep or stack.enter_context(tempfile.TemporaryDirectory())
        os.makedirs(folder, exist_ok=True)
        outcome = run(folder, args.rounds, args.database_url, args.seed, worker=not args.no_worker)
        report(outcome)
    sys.exit(0 if outcome.ok else 1)


if __name__ == "__main__":
    main()
