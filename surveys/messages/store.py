"""Writing scored samples in one transaction, keeping tallies, and purging old text."""
import datetime as dt
import pickle
import tempfile
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from surveys.db import immediate_transaction
from surveys.messages.consent import consenting_authors
from surveys.messages.switch import enabled_switch
from surveys.models import MessageSample, MessageTally

#: Rows per INSERT and per pickled block of the spill file.
WRITE_BATCH = 2000


class SampleRow(NamedTuple):
    """One scored message on its way to the database (text is already redacted, or None)."""

    message_hash: str
    member_id: int
    team_id: int
    week: str
    sentiment: float
    tension: float
    friction: list
    text: str | None


class SpillFile:
    """Scored rows parked in a temporary file, so memory stays flat however big the import."""

    def __init__(self):
        self._file, self._block = None, []

    def __enter__(self):
        self._file = tempfile.TemporaryFile()
        return self

    def __exit__(self, *exc):
        self._file.close()

    def add(self, row):
        """Park one row."""
        self._block.append(tuple(row))
        if len(self._block) >= WRITE_BATCH:
            self._flush()

    def _flush(self):
        if self._block:
            pickle.dump(self._block, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._block = []

    def blocks(self):
        """Every parked row again, a block at a time."""
        self._flush()
        self._file.seek(0)
        while True:
            try:
                # our own temporary file, written just above: safe to unpickle
                yield [SampleRow(*row) for row in pickle.load(self._file)]
            except EOFError:
                return


def store_samples(session, source, spill, report, now):
    """Insert the parked rows of consenting authors and update the tallies, all or nothing."""
    with immediate_transaction(session):
        switch = enabled_switch(session)  # switched off mid-import: nothing is written
        allowed = {member_id for member_id, _ in
                   consenting_authors(session, source, switch.notice_version).values()}
        before = _sample_count(session, source)
        offered = 0
        for block in spill.blocks():
            rows = [row._asdict() | {"source": source, "stored_at": now}
                    for row in block if row.member_id in allowed]
            report.no_consent += len(block) - len(rows)  # withdrew while we were scoring
            offered += len(rows)
            if rows:
                session.execute(_insert_ignoring_duplicates(session), rows)
        report.stored = _sample_count(session, source) - before
        report.duplicate += offered - report.stored  # repeated inside this import
        add_tallies(session, source, report.counts())


def _insert_ignoring_duplicates(session):
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(MessageSample).on_conflict_do_nothing(
        index_elements=["source", "message_hash"])


def _sample_count(session, source):
    return session.scalar(select(func.count()).select_from(MessageSample)
                          .where(MessageSample.source == source))


def add_tallies(session, source, counts):
    """Add an import's counts to the running tallies of its source."""
    for outcome, count in counts.items():
        if not count:
            continue
        tally = session.get(MessageTally, (source, outcome))
        if tally is None:
            tally = MessageTally(source=source, outcome=outcome, count=0)
            session.add(tally)
        tally.count += count


def tallies(session):
    """{outcome: total over every source}: what imports brought and what became of it."""
    totals = {}
    for tally in session.scalars(select(MessageTally)):
        totals[tally.outcome] = totals.get(tally.outcome, 0) + tally.count
    return totals


def stored_sample_count(session):
    """How many message samples are stored."""
    return session.scalar(select(func.count()).select_from(MessageSample))


def purge_texts(session, now, retention_days):
    """Clear kept text older than the retention period (all of it at 0 days); returns how many."""
    cutoff = now - dt.timedelta(days=retention_days)
    with immediate_transaction(session):
        cleared = session.execute(update(MessageSample).where(
            MessageSample.text.is_not(None), MessageSample.stored_at <= cutoff)
            .values(text=None)).rowcount
    return cleared
