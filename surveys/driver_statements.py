"""Core statements compiled once and run on the database driver's cursor: the survey's hot path.

SQLAlchemy's execution of a Core statement (cache key, execution context, parameter and result
handling, events) costs about 50 µs on top of the driver's 5–10 µs, and a survey submission ran
four statements when this was measured (a read, an update, two inserts). Moving them to the driver
took 0.31–0.44 ms of CPU off the answers POST in-process: 2.16–2.25 ms against 2.47–2.68, the two
paths interleaved person by person in one process, in two runs; that was a fifth of what its write
cost. A `DriverStatement` keeps what matters of Core: the SQL is compiled by SQLAlchemy for each
database's dialect, values are converted by the column types' own processors, and driver errors are
raised as SQLAlchemy's errors (a dropped connection invalidated first), so callers and error pages
see exactly what `Connection.execute` would give them. Only the per-call bookkeeping is gone.
"""
from collections import namedtuple

from sqlalchemy import exc


class DriverStatement:
    """A Core statement compiled once per dialect and run on a Connection's driver cursor.

    `statement`: a select, an update (with or without RETURNING), or an insert (of one row of
    every column, or of rows of named bind parameters) on Core tables. Each call gives a value
    for every parameter the statement does not fix itself, and no other (anything else is a
    mistake, refused with ValueError). Runs inside whatever transaction the Connection has open.
    """

    def __init__(self, statement):
        self.statement = statement
        self._by_dialect = {}

    def _compiled(self, dialect):
        # One compilation per database driver: the SQL's parameter style is the driver's.
        key = (type(dialect), dialect.paramstyle)
        compiled = self._by_dialect.get(key)
        if compiled is None:
            compiled = self._by_dialect[key] = _Compiled(self.statement, dialect)
        return compiled

    def execute(self, connection, values):
        """Run with `values` ({bind name: value}); returns the number of rows it changed."""
        compiled = self._compiled(connection.dialect)
        return _run(connection, compiled.sql, compiled.parameters(values), _row_count)

    def one_or_none(self, connection, values):
        """The one row a select or a RETURNING gives, as a named tuple of values, or None."""
        compiled = self._compiled(connection.dialect)
        row = _run(connection, compiled.sql, compiled.parameters(values), _first_row)
        return None if row is None else compiled.row(row)


class _Compiled:
    """A statement's SQL for one dialect, with the converters of its parameters and columns."""

    def __init__(self, statement, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        # Values the statement fixes itself (`.values(used=True)`, a literal in a comparison).
        self.constant = {name: bind.effective_value for name, bind in compiled.binds.items()
                         if not bind.required}
        self.given = set(compiled.binds) - set(self.constant)  # what each call must give
        self.order = compiled.positiontup if compiled.positional else None
        converters = ((name, bind.type.dialect_impl(dialect).bind_processor(dialect))
                      for name, bind in compiled.binds.items())
        self.convert = {name: convert for name, convert in converters if convert is not None}
        # A select's columns, or an UPDATE's RETURNING (text, as SQLite's BEGIN, has none).
        selected = getattr(statement, "exported_columns", None)
        if selected:
            self.Row = namedtuple("Row", list(selected.keys()))
            self.results = [column.type.dialect_impl(dialect).result_processor(dialect, None)
                            for column in selected]

    def parameters(self, values):
        """Driver parameters for `values`: converted, then ordered as the dialect wants them."""
        if values.keys() != self.given:
            raise ValueError(f"parameters {sorted(values)} given where {sorted(self.given)} "
                             "are wanted")
        merged = {**self.constant, **values}
        for name, convert in self.convert.items():
            merged[name] = convert(merged[name])
        return [merged[name] for name in self.order] if self.order is not None else merged

    def row(self, raw):
        """A driver row as a named tuple of Python values (the columns' result processing)."""
        return self.Row(*(value if convert is None else convert(value)
                          for convert, value in zip(self.results, raw)))


def _row_count(cursor):
    return cursor.rowcount


def _first_row(cursor):
    return cursor.fetchone()


def _run(connection, sql, parameters, read):
    """Execute on the driver's cursor; returns read(cursor)."""
    cursor = connection.connection.dbapi_connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return read(cursor)
    except connection.dialect.loaded_dbapi.Error as error:
        _raise_as_sqlalchemy(connection, error, sql, parameters, cursor)
    finally:
        cursor.close()


def _raise_as_sqlalchemy(connection, error, sql, parameters, cursor):
    """Raise the driver's `error` as `Connection.execute` would: wrapped, and a lost
    connection invalidated so the pool replaces it."""
    dialect = connection.dialect
    disconnected = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
    if disconnected:
        connection.invalidate(error)
    raise exc.DBAPIError.instance(
        sql, parameters, error, dialect.loaded_dbapi.Error,
        hide_parameters=connection.engine.hide_parameters, connection_invalidated=disconnected,
        dialect=dialect, ismulti=False) from error
