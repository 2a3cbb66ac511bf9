"""Copy a whole Tandem database to another engine: moving a SQLite installation to PostgreSQL.

The target must be an empty database already migrated to the same revision as the source, so the
schema on both sides is the one the real migrations built. Rows go across table by table in
foreign-key order, in batches, inside one transaction on the target: a failure part-way leaves
the target as empty as it was. Afterwards the target's id sequences are moved past the copied ids
and every table's row count is compared with the source.
"""
from dataclasses import dataclass

from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import DBAPIError

from surveys.db import Base

#: Rows read and written per round trip; small enough to keep memory flat on big tables.
BATCH_SIZE = 2000


class TransferError(Exception):
    """The copy cannot start or did not match the source; the target is left unchanged."""


@dataclass(frozen=True)
class TableCopy:
    """How many rows one table held in the source and in the target after the copy."""

    table: str
    source_rows: int
    target_rows: int


def copy_database(source, target, batch_size=BATCH_SIZE):
    """Copy every Tandem table from engine `source` to engine `target`; returns a TableCopy each.

    Raises TransferError (and writes nothing) when the revisions differ, the target already
    holds data, or the counts do not match after the copy.
    """
    _check_revisions(source, target)
    _check_empty(target)
    tables = Base.metadata.sorted_tables
    with source.connect() as reading, target.begin() as writing:
        for table in tables:
            _copy_table(reading, writing, table, batch_size)
        if writing.dialect.name == "postgresql":
            _advance_sequences(writing, tables)
        copies = [TableCopy(table.name, _count(reading, table), _count(writing, table))
                  for table in tables]
        mismatched = [copy.table for copy in copies if copy.source_rows != copy.target_rows]
        if mismatched:  # raising here rolls the whole copy back
            raise TransferError(f"row counts differ after the copy in: {', '.join(mismatched)}")
    return copies


def _revision(engine):
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_revisions(source, target):
    source_revision, target_revision = _revision(source), _revision(target)
    if source_revision is None:
        raise TransferError("the source database has no migrations applied")
    if source_revision != target_revision:
        raise TransferError(f"the source is at migration {source_revision} but the target at "
                            f"{target_revision or 'none'}: migrate both to the same revision first")


def _check_empty(target):
    with target.connect() as connection:
        filled = [table.name for table in Base.metadata.sorted_tables if _count(connection, table)]
    if filled:
        raise TransferError(f"the target already holds data (in {', '.join(filled[:5])}); "
                            "copy into a new, empty database")


def _count(connection, table):
    return connection.execute(select(func.count()).select_from(table)).scalar()


def _copy_table(reading, writing, table, batch_size):
    query = select(table).order_by(*table.primary_key.columns)
    rows = reading.execution_options(stream_results=True, yield_per=batch_size).execute(query)
    for batch in rows.mappings().partitions(batch_size):
        try:
            writing.execute(table.insert(), [dict(row) for row in batch])
        except DBAPIError as error:
            # SQLite keeps values PostgreSQL refuses (an over-long string, say): name the table.
            reason = str(error.orig).strip().splitlines()[0]
            raise TransferError(f"table {table.name}: the target refused a row: {reason}") from None


def _advance_sequences(writing, tables):
    """Move each serial id sequence past the largest copied id, so new rows get fresh ids."""
    for table in tables:
        for column in table.primary_key.columns:
            sequence = writing.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                       {"table": table.name, "column": column.name}).scalar()
            if sequence is None:
                continue
            writing.execute(text(f"SELECT setval(:sequence, COALESCE(MAX({column.name}), 0) + 1, "
                                 f"false) FROM {table.name}"), {"sequence": sequence})
