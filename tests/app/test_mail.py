"""E-mail delivery: real SMTP to a local server, the outbox folder, retries and permanent failures."""
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from app.mail.transport import OutboxTransport, SmtpTransport
from surveys.db import WRITE_LOCK_SCOPE, advisory_key
from surveys.models import MailState, OutgoingMail
from surveys.outgoing import PermanentMailError, TransientMailError, deliver
from tests.conftest import NOW
from tests.smtp_server import free_port


def a_message(to="ana@example.com"):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "tandem@localhost", to, "Hello"
    message.set_content("plain")
    message.add_alternative("<p>html</p>", subtype="html")
    return message


def no_sleep(_seconds):
    """Quick retries in tests need no real pause; the server's answers are scripted."""


def test_smtp_transport_delivers_to_a_real_server(smtp_server):
    SmtpTransport("127.0.0.1", smtp_server.port).send(a_message())
    [received] = smtp_server.messages
    assert received["To"] == "ana@example.com" and received.get_body(("html",)) is not None


def test_smtp_transport_classifies_failures(smtp_server):
    smtp_server.handler.script = ["421 Try again later", "550 No such user"]
    transport = SmtpTransport("127.0.0.1", smtp_server.port)
    with pytest.raises(TransientMailError, match="421"):
        transport.send(a_message())
    with pytest.raises(PermanentMailError, match="550"):
        transport.send(a_message())
    with pytest.raises(TransientMailError, match="cannot reach"):
        SmtpTransport("127.0.0.1", free_port()).send(a_message())


def test_outbox_transport_writes_one_eml_file_per_message(tmp_path):
    OutboxTransport(tmp_path / "outbox").send(a_message())
    [written] = list((tmp_path / "outbox").glob("*.eml"))
    assert message_from_bytes(written.read_bytes(), policy=default_policy)["Subject"] == "Hello"


def test_deliver_retries_a_busy_server_and_sends_once(session, smtp_server):
    smtp_server.handler.script = ["421 Busy", "421 Busy"]
    transport = SmtpTransport("127.0.0.1", smtp_server.port)
    state = deliver(session, "test:1", "test", "ana@example.com", lambda _m: a_message(),
                    transport, NOW, sleep=no_sleep)
    assert state == MailState.SENT and len(smtp_server.messages) == 1
    assert deliver(session, "test:1", "test", "ana@example.com", lambda _m: a_message(),
                   transport, NOW, sleep=no_sleep) is None
    assert len(smtp_server.messages) == 1


def test_deliver_records_a_permanent_failure_and_does_not_retry(session, smtp_server):
    smtp_server.handler.script = ["550 Mailbox unavailable"]
    transport = SmtpTransport("127.0.0.1", smtp_server.port)
    deliver(session, "test:2", "test", "x@example.com", lambda _m: a_message(), transport, NOW)
    mail = session.scalar(select(OutgoingMail))
    assert mail.state == MailState.FAILED and "550" in mail.last_error
    later = NOW.replace(hour=23)
    assert deliver(session, "test:2", "test", "x@example.com", lambda _m: a_message(),
                   transport, later) is None and smtp_server.messages == []


def test_deliver_schedules_a_retry_with_backoff_when_the_server_is_down(session, smtp_server):
    transport = SmtpTransport("127.0.0.1", free_port())
    state = deliver(session, "test:3", "test", "x@example.com", lambda _m: a_message(),
                    transport, NOW, sleep=no_sleep)
    mail = session.scalar(select(OutgoingMail))
    assert state == MailState.RETRY and mail.next_attempt_at > NOW
    assert deliver(session, "test:3", "test", "x@example.com", lambda _m: a_message(),
                   SmtpTransport("127.0.0.1", smtp_server.port), NOW) is None  # not due yet
    state = deliver(session, "test:3", "test", "x@example.com", lambda _m: a_message(),
                    SmtpTransport("127.0.0.1", smtp_server.port), mail.next_attempt_at)
    assert state == MailState.SENT and len(smtp_server.messages) == 1


def test_a_claim_abandoned_by_a_crashed_sender_is_never_resent(session, smtp_server):
    def crash(_mail):
        raise KeyboardInterrupt  # the process dies after claiming, before or during the send

    transport = SmtpTransport("127.0.0.1", smtp_server.port)
    with pytest.raises(KeyboardInterrupt):
        deliver(session, "test:4", "test", "x@example.com", crash, transport, NOW)
    session.rollback()
    later = NOW.replace(hour=23)
    assert deliver(session, "test:4", "test", "x@example.com", lambda _m: a_message(),
                   transport, later) is None
    assert session.scalar(select(OutgoingMail)).state == MailState.UNCONFIRMED
    assert smtp_server.messages == []


def another_writer_could_start(database_url):
    """Whether a second connection could take the write lock right now (without waiting)."""
    engine = create_engine(database_url, connect_args={"timeout": 0}
                           if database_url.startswith("sqlite") else {})
    try:
        with engine.connect() as other:
            if database_url.startswith("sqlite"):
                try:
                    other.exec_driver_sql("BEGIN IMMEDIATE")
                except OperationalError:
                    return False
                other.exec_driver_sql("ROLLBACK")
                return True
            taken = other.execute(text("SELECT pg_try_advisory_xact_lock(:key)"),
                                  {"key": advisory_key(WRITE_LOCK_SCOPE)}).scalar()
            other.rollback()
            return taken
    finally:
        engine.dispose()


@pytest.mark.parametrize("mints", [True, False])
def test_a_composer_that_only_reads_holds_no_write_lock(session, tmp_path, database_url, mints):
    # A digest's templates render while survey submissions can still write; a composer that
    # mints a link token runs after the claim, inside the write transaction that stores it.
    seen = {}

    def compose(mail):
        seen["claimed first"] = mail is not None
        seen["writers could start"] = another_writer_could_start(database_url)
        return a_message()

    state = deliver(session, "test:5", "test", "x@example.com", compose,
                    OutboxTransport(tmp_path / "outbox"), NOW, mints=mints)
    assert state == MailState.SENT
    assert seen == {"claimed first": mints, "writers could start": not mints}
    mail = session.scalar(select(OutgoingMail))
    assert (mail.subject, mail.state) == ("Hello", MailState.SENT)


def test_a_read_only_composer_that_fails_leaves_nothing_claimed(session, tmp_path):
    def broken(_mail):
        raise RuntimeError("template error")

    with pytest.raises(RuntimeError):
        deliver(session, "test:6", "test", "x@example.com", broken,
                OutboxTransport(tmp_path / "outbox"), NOW, mints=False)
    session.rollback()
    assert session.scalar(select(OutgoingMail)) is None  # the next run tries again
    assert deliver(session, "test:6", "test", "x@example.com", lambda _m: a_message(),
                   OutboxTransport(tmp_path / "outbox"), NOW, mints=False) == MailState.SENT
