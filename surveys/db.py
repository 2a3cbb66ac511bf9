"""Database plumbing shared by every model: the declarative base and per-connection settings."""
import datetime as dt
from contextlib import contextmanager

from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase

# Named constraints make Alembic migrations reproducible (and batch mode on SQLite possible).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Milliseconds a SQLite writer waits for a lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 5000


class Base(DeclarativeBase):
    """Declarative base for all Tandem models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow():
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.timezone.utc)


def configure_engine(engine):
    """Apply Tandem's connection settings; on SQLite: WAL, busy timeout, foreign keys, explicit BEGIN."""
    if engine.dialect.name != "sqlite":
        return engine
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection, _record):
    # Take transaction control away from pysqlite so that BEGIN IMMEDIATE is possible.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(connection):
    immediate = connection.get_execution_options().get("sqlite_immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


@contextmanager
def immediate_transaction(session):
    """A write transaction that takes SQLite's write lock up front, committed on success.

    Read-then-write sequences (claim a mail, use an invitation) must not interleave with another
    writer; on SQLite that needs BEGIN IMMEDIATE, elsewhere the row locks of the statements do.
    """
    session.commit()  # end whatever the caller had open, so the next BEGIN is ours
    session.connection(execution_options={"sqlite_immediate": True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


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
