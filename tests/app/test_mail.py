"""E-mail delivery: real SMTP to a local server, the outbox folder, retries and permanent failures."""
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from sqlalchemy import select

from app.mail.transport import OutboxTransport, SmtpTransport
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
