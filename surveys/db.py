"""Database plumbing shared by every model: the declarative base and per-connection settings."""
import datetime as dt
import fcntl
import os
import sqlite3
import threading
import time
import zlib
from contextlib import contextmanager, nullcontext

from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, scoped_session

from surveys.driver_statements import DriverStatement

# Named constraints make Alembic migrations reproducible (and batch mode on SQLite possible).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Milliseconds a writer waits for a lock before giving up (SQLite's busy timeout, PostgreSQL's
#: lock_timeout): past it the request answers 503 rather than hanging.
SQLITE_BUSY_TIMEOUT_MS = 5000
LOCK_TIMEOUT_MS = SQLITE_BUSY_TIMEOUT_MS

#: PostgreSQL's SQLSTATE for "canceling statement due to lock timeout".
PG_LOCK_NOT_AVAILABLE = "55P03"

#: The advisory lock every read-then-write transaction takes on PostgreSQL unless it names a
#: narrower scope; it gives those transactions the one-writer-at-a-time guarantee that SQLite's
#: BEGIN IMMEDIATE gives, so both engines run the same code with the same semantics.
WRITE_LOCK_SCOPE = "tandem:writes"
#: The scope of a transaction whose own statements lock the rows they depend on (a conditional
#: UPDATE, say): PostgreSQL takes no advisory lock for it, SQLite still takes BEGIN IMMEDIATE.
ROW_LOCKS = None


class Base(DeclarativeBase):
    """Declarative base for all Tandem models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow():
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.timezone.utc)


def configure_engine(engine):
    """Apply Tandem's connection settings.

    SQLite: WAL, busy timeout, foreign keys, explicit BEGIN. PostgreSQL: a lock timeout, so a
    request stuck behind another writer fails fast (503) instead of holding a worker.
    """
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgresql_on_connect)
    return engine


def _postgresql_on_connect(dbapi_connection, _record):
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
    dbapi_connection.commit()


def _sqlite_on_connect(dbapi_connection, _record):
    # Take transaction control away from pysqlite so that BEGIN IMMEDIATE is possible.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


#: SQLite's two BEGINs, run on the driver: every SQLite transaction starts with one, and
#: `exec_driver_sql` made connect + begin + commit cost 25–58 µs more (in-process, two runs).
SQLITE_BEGIN = {False: DriverStatement(text("BEGIN")),
                True: DriverStatement(text("BEGIN IMMEDIATE"))}


def _sqlite_on_begin(connection):
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    SQLITE_BEGIN[bool(immediate)].execute(connection, {})


@contextmanager
def roomy_sqlite_cache(connection, mebibytes=256):
    """On SQLite, let this connection cache up to `mebibytes` of pages until the block ends.

    A transaction that writes more pages than SQLite's default cache of 2 MiB holds spills them
    to the WAL and reads them back as each insert lands in another index page: a full panel
    rollup spent a third of its insert time that way. The limit is a ceiling, not an allocation,
    and the previous one is restored (which frees the extra pages) at the end. Other databases
    manage their own buffers: nothing to do.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{int(mebibytes) * 1024}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def immediate_transaction(session, scope=WRITE_LOCK_SCOPE):
    """A write transaction that takes the write lock up front, committed on success.

    Read-then-write sequences (claim a mail, take a job lock) must not interleave with another
    writer. SQLite: BEGIN IMMEDIATE takes the database's single write lock. PostgreSQL: a
    transaction-scoped advisory lock on `scope` (by default one for all such transactions; a
    hot path whose own statements are already safe may name a narrower scope, or ROW_LOCKS for
    none at all: its statements then lock the rows they rely on, as a conditional UPDATE does,
    and a row held too long by another writer still ends in a lock timeout).
    """
    session.commit()  # end whatever the caller had open, so the next BEGIN is ours
    with writers_turn(session.get_bind()):
        _lock_scope(session.connection(execution_options={"sqlite_immediate": True}), scope)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def _lock_scope(connection, scope):
    """On PostgreSQL, take `scope`'s transaction-scoped advisory lock (none for ROW_LOCKS)."""
    if scope is not ROW_LOCKS and connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": advisory_key(scope)})


@contextmanager
def core_connection(session):
    """A Core connection of its own, for a hot path that needs no ORM; yields the connection.

    The caller's session is committed first if it has a transaction open, as
    `immediate_transaction` does (on SQLite a write pending there would otherwise wait for our
    lock). Statements run without the ORM's unit of work (session transaction, flush, expiry),
    which cost more than the statements of a survey submission.
    """
    target = session() if isinstance(session, scoped_session) else session
    if target.in_transaction():
        target.commit()
    with target.get_bind().connect() as connection:
        yield connection


@contextmanager
def autocommit_connection(engine):
    """A Core connection on which each `DriverStatement` runs on its own, outside a transaction.

    For a hot path's single-row reads (the survey pages'). One read needs no transaction
    around it, and on PostgreSQL the BEGIN before it and the ROLLBACK that ends a read-only
    transaction are a round trip to the server each; a rollback also makes psycopg drop the
    statements it has prepared, so every survey request had them parsed and planned again.
    SQLite connections run the driver in autocommit already (`_sqlite_on_connect`: SQLAlchemy's
    begin event issues BEGIN); PostgreSQL's get SQLAlchemy's AUTOCOMMIT isolation level, which
    the pool resets when the connection goes back. `Connection.execute` on SQLite still begins
    a transaction; this is for `DriverStatement`s.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT")
        yield connection


@contextmanager
def immediate_transaction_on(connection, scope=WRITE_LOCK_SCOPE):
    """`immediate_transaction` on a Core connection with no transaction open.

    Same guarantees: the writers' turn and BEGIN IMMEDIATE on SQLite, the advisory lock of
    `scope` on PostgreSQL (none for ROW_LOCKS), committed on success and rolled back on any
    error.
    """
    with writers_turn(connection.engine):
        connection.execution_options(sqlite_immediate=True)
        try:
            with connection.begin():
                _lock_scope(connection, scope)
                yield connection
        finally:
            connection.execution_options(sqlite_immediate=False)


@contextmanager
def immediate_connection(session, scope=WRITE_LOCK_SCOPE):
    """`immediate_transaction` on a Core connection of its own (`core_connection`)."""
    with core_connection(session) as connection, immediate_transaction_on(connection, scope):
        yield connection


#: Seconds between a waiting writer's first tries for its turn, doubling up to the cap: the turn
#: passes to a waiter within about a millisecond of the last writer's commit. Polling is on
#: purpose: a writer blocked in the kernel until the lock is free (a helper thread in a blocking
#: flock, so it can still give up at its deadline) made 0.83–0.86× the writes per second for
#: 1.06–1.09× the CPU per write in two runs of four writer processes on 2 cores
#: (`python -m benchmarks.writers_queue`).
TURN_FIRST_WAIT_S, TURN_MAX_WAIT_S = 0.0001, 0.001


class WritersQueue:
    """Writers of one SQLite file take turns through an OS file lock, before BEGIN IMMEDIATE.

    SQLite's write lock has no queue: a writer that finds it taken sleeps 1, 2, 5, 10, 15, 20,
    25… ms before trying again, however soon the lock is free. Under a burst of submissions
    the lock mostly sat idle while every worker slept (in one saturation run, gunicorn workers
    spent 60% of their time in BEGIN IMMEDIATE). Waiting here instead, every Tandem process
    (web workers, jobs, task workers) checks again within a millisecond, so the lock is handed
    on almost as soon as it is released. The file lock is held from before BEGIN IMMEDIATE to
    after COMMIT or ROLLBACK; the OS drops it if its process dies. A writer that cannot have its
    turn within the busy timeout fails as a locked database does (503, nothing written), and
    anything that does not queue here (the sqlite3 shell, say) still meets SQLite's own lock.
    """

    def __init__(self, database_path):
        self.path = f"{database_path}-writers.lock"
        self._pid = self._fd = self._threads = None

    def _for_this_process(self):
        # A forked child inherits its parent's descriptor (whose lock it would share) and the
        # state of its thread lock: it opens its own of both.
        if self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._threads = threading.Lock()  # a file lock is per process: threads queue here
            self._pid = os.getpid()
        return self._fd, self._threads

    @contextmanager
    def turn(self, timeout_s=SQLITE_BUSY_TIMEOUT_MS / 1000):
        """Hold the writers' turn for the block; OperationalError 'database is locked' if none came."""
        deadline = time.monotonic() + timeout_s
        descriptor, threads = self._for_this_process()
        if not threads.acquire(timeout=timeout_s):
            raise _locked()
        try:
            wait = TURN_FIRST_WAIT_S
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise _locked() from None
                    time.sleep(wait)
                    wait = min(2 * wait, TURN_MAX_WAIT_S)
            try:
                yield
            finally:
                fcntl.flock(descriptor, fcntl.LOCK_UN)
        finally:
            threads.release()


def _locked():
    # The error a busy SQLite database raises, so callers (the 503 page) treat both alike.
    return OperationalError("BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked"))


_QUEUES = {}
_QUEUES_LOCK = threading.Lock()


def writers_turn(engine):
    """The writers' turn for `engine`'s SQLite file (a do-nothing block on other databases)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:" or path.startswith("file:"):
        return nullcontext()
    path = os.path.abspath(path)
    with _QUEUES_LOCK:
        queue = _QUEUES.get(path) or _QUEUES.setdefault(path, WritersQueue(path))
    return queue.turn()


def advisory_key(scope):
    """A stable signed 64-bit PostgreSQL advisory-lock key for a scope name."""
    return zlib.crc32(scope.encode()) - 2**31


def is_lock_timeout(error):
    """Whether a DBAPI error means "another writer held the lock too long" on either engine."""
    if getattr(error, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE:
        return True
    message = str(error).lower()
    return "database is locked" in message or "database is busy" in message


def as_utc(value):
    """Treat a naive datetime read back from SQLite as UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.timezone.utc)
    return value


class UTCDateTime(TypeDecorator):
    """A datetime stored as naive UTC and always read back timezone-aware.

    SQLite has no timezone type; normalising here keeps comparisons with `now` correct everywhere.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where a timezone-aware one is required")
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return as_utc(value)
