"""Statements run on the driver's cursor give what Core gives: the same values, the same errors."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.extensions import db
from surveys.db import autocommit_connection, configure_engine
from surveys.invitations import SURVEY_CONTEXT
from surveys.models import RoundState
from surveys.responses import INSERT_RESPONSE
from tests.conftest import NOW


def test_a_row_read_on_the_driver_equals_the_row_core_reads(session, factory, open_round):
    _, invitation = factory.link(open_round)
    session.commit()
    with db.engine.connect() as connection:
        on_driver = SURVEY_CONTEXT.one_or_none(connection, {"invitation_id": invitation.id})
        by_core = connection.execute(SURVEY_CONTEXT.statement,
                                     {"invitation_id": invitation.id}).one()
    assert tuple(on_driver) == tuple(by_core) and on_driver._fields == tuple(by_core._fields)
    # The columns' own conversions ran: an aware time, the enum, a list, a real boolean.
    assert on_driver.closes_at.tzinfo is not None and on_driver.state is RoundState.OPEN
    assert on_driver.item_ids == list(open_round.item_ids) and on_driver.used is False
    with db.engine.connect() as connection:
        assert SURVEY_CONTEXT.one_or_none(connection, {"invitation_id": -1}) is None


def test_a_driver_error_is_raised_as_core_raises_it(session, open_round):
    row = {"id": "f" * 32, "round_id": open_round.id, "team_id": open_round.team_id,
           "submitted_on": NOW.date(), "enps": None, "comment": "a comment that is no one's",
           "comment_sentiment": None, "comment_tension": None, "comment_friction": ["blame"]}
    session.commit()
    with db.engine.connect() as connection:
        with connection.begin():
            INSERT_RESPONSE.execute(connection, row)
        with pytest.raises(IntegrityError) as raised, connection.begin():
            INSERT_RESPONSE.execute(connection, row)  # the same id again
    assert raised.value.orig is not None  # the driver's own error, kept as Core keeps it
    stored = session.execute(text("SELECT comment_friction FROM responses")).scalar_one()
    assert stored in (["blame"], '["blame"]')  # JSON as Core stores it, on either engine


def test_a_connection_lost_mid_transaction_is_invalidated_and_replaced(session, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a server that drops connections is PostgreSQL's case")
    session.commit()
    engine = db.engine
    with engine.connect() as connection:
        connection.begin()
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        admin.dispose()
        with pytest.raises(DBAPIError) as raised:
            SURVEY_CONTEXT.one_or_none(connection, {"invitation_id": 1})
        assert raised.value.connection_invalidated and connection.invalidated
    with engine.connect() as connection:  # the pool hands out a working connection again
        assert connection.execute(text("SELECT 1")).scalar() == 1


def test_a_parameter_missing_or_unknown_is_refused_before_anything_runs(session, open_round):
    session.commit()
    with db.engine.connect() as connection:
        with pytest.raises(ValueError, match="wanted"):
            SURVEY_CONTEXT.one_or_none(connection, {})
        with pytest.raises(ValueError, match="wanted"):
            SURVEY_CONTEXT.one_or_none(connection, {"invitation_id": 1, "team": 2})


def test_an_autocommit_read_opens_no_transaction_and_the_pool_gets_a_transactional_connection(
        session, factory, open_round, database_url):
    _, invitation = factory.link(open_round)
    session.commit()
    engine = configure_engine(create_engine(database_url, pool_size=1, max_overflow=0))
    try:
        with autocommit_connection(engine) as connection:
            assert SURVEY_CONTEXT.one_or_none(
                connection, {"invitation_id": invitation.id}).used is False
            assert not _driver_in_transaction(connection.connection.dbapi_connection)
        # The same pooled connection again (a pool of one): its writes are transactional once
        # more, so a rollback undoes them.
        with engine.connect() as connection:
            with pytest.raises(RuntimeError), connection.begin():
                connection.execute(text("UPDATE invitations SET used = :used WHERE id = :id"),
                                   {"used": True, "id": invitation.id})
                raise RuntimeError("undo the write")
        with autocommit_connection(engine) as connection:
            assert SURVEY_CONTEXT.one_or_none(
                connection, {"invitation_id": invitation.id}).used is False
    finally:
        engine.dispose()


def _driver_in_transaction(dbapi_connection):
    if hasattr(dbapi_connection, "in_transaction"):  # sqlite3
        return dbapi_connection.in_transaction
    return dbapi_connection.info.transaction_status != dbapi_connection.info.transaction_status.IDLE
