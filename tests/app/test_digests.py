"""Weekly digests: one per manager per week, never twice, never lost, private, unsubscribable."""
import datetime as dt
import re
import threading

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs import send_due_digests
from app.mail.transport import OutboxTransport, SmtpTransport
from surveys.history import import_history
from surveys.models import MailState, Manager, OutgoingMail
from surveys.signals import detect_and_store
from tests.factories import history_csv

UTC = dt.timezone.utc
CALM, TENSE = [4, 4, 5, 3, 4, 4, 5, 4, 3, 4], [2, 3, 2, 2, 3, 2, 1, 2, 2, 3]
#: Monday 2026-04-20, 09:00 UTC: after the default digest time (Monday 08:00 UTC).
MONDAY = dt.datetime(2026, 4, 20, 9, 0, tzinfo=UTC)


def no_sleep(_seconds):
    """Scripted SMTP answers need no real pause between quick retries."""


@pytest.fixture
def org(session, factory):
    factory.people({"growth": ("marketing", 10), "field": ("sales", 10), "tiny": ("sales", 4)})
    import_history(session, history_csv({
        "growth": [TENSE if w >= 13 else CALM for w in range(1, 17)],
        "field": [CALM] * 16, "tiny": [[1, 1, 1, 1]] * 16}))
    detect_and_store(session, MONDAY - dt.timedelta(days=1), min_group=5)
    return {m.email.split("@")[0].split(".")[1]: m for m in session.scalars(select(Manager))}


def smtp(server):
    return SmtpTransport("127.0.0.1", server.port)


def digest_for(server, email):
    return [m for m in server.messages if m["To"] == email]


def test_three_runs_deliver_exactly_one_digest_per_manager(session, org, smtp_server):
    for _ in range(3):
        send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(m.email for m in org.values())
    next_week = send_due_digests(session, MONDAY + dt.timedelta(days=7), smtp(smtp_server), sleep=no_sleep)
    assert next_week == 3


def test_the_tense_managers_digest_names_the_signal_and_an_intervention(session, org, smtp_server):
    send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    [message] = digest_for(smtp_server, org["growth"].email)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "NEW" in text and "growth" in text and "Try first:" in text
    assert re.search(r"http://127\.0\.0\.1:5000/signals/\d+", html) and "Open Tandem" in html
    assert "/s/" not in text and "/s/" not in html  # never a survey link or token
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http://127.0.0.1:5000/unsubscribe/")


def test_a_small_teams_digest_shows_no_suppressed_figure(session, org, smtp_server):
    send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    [message] = digest_for(smtp_server, org["tiny"].email)
    text = message.get_body(("plain",)).get_content()
    assert "nothing new" in message["Subject"] and "tiny" not in text.split("Open Tandem")[0]
    assert "PARTICIPATION" not in text  # the team never reached the minimum


def test_a_busy_server_twice_then_ok_delivers_once(session, org, smtp_server):
    smtp_server.handler.script = ["421 Busy", "421 Busy"]
    send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    assert len(smtp_server.messages) == 3
    assert len(digest_for(smtp_server, org["growth"].email) + digest_for(smtp_server, org["field"].email)
               + digest_for(smtp_server, org["tiny"].email)) == 3


def test_a_permanent_failure_is_recorded_and_not_retried(session, org, smtp_server):
    smtp_server.handler.script = ["550 No such mailbox"]
    send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    failed = session.scalars(select(OutgoingMail).where(OutgoingMail.state == MailState.FAILED)).all()
    assert len(failed) == 1 and "550" in failed[0].last_error
    send_due_digests(session, MONDAY + dt.timedelta(hours=5), smtp(smtp_server), sleep=no_sleep)
    assert len(smtp_server.messages) == 2


def test_two_runners_at_once_deliver_one_digest_each(app, org, smtp_server):
    engine, barrier, errors = db.engine, threading.Barrier(2), []

    def runner():
        with app.app_context(), Session(engine) as own:
            barrier.wait()
            try:
                send_due_digests(own, MONDAY, smtp(smtp_server), sleep=no_sleep)
            except Exception as error:  # reported by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == [] and len(smtp_server.messages) == 3


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_crash_around_the_smtp_call_never_causes_a_double_send(session, org, smtp_server, where):
    real = smtp(smtp_server)

    class CrashingTransport:
        def send(self, message):
            if where == "after":
                real.send(message)
            raise SystemExit("killed mid-send")

    with pytest.raises(SystemExit):
        send_due_digests(session, MONDAY, CrashingTransport(), sleep=no_sleep)
    session.rollback()
    delivered_before_rerun = len(smtp_server.messages)
    later = MONDAY + dt.timedelta(hours=1)
    send_due_digests(session, later, real, sleep=no_sleep)
    crashed = session.scalars(select(OutgoingMail).where(OutgoingMail.state == MailState.UNCONFIRMED)).all()
    assert len(crashed) == 1  # the crashed one is never resent: at most once
    assert delivered_before_rerun == (1 if where == "after" else 0)
    assert len(smtp_server.messages) == delivered_before_rerun + 2


def test_one_click_unsubscribe_needs_no_cookie_and_changes_only_that(app, client, session, org, smtp_server):
    send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    [message] = digest_for(smtp_server, org["growth"].email)
    path = message["List-Unsubscribe"].strip("<>").replace(app.config["BASE_URL"], "")
    assert client.get(path).status_code == 200  # GET only asks for confirmation
    session.commit()
    assert session.get(Manager, org["growth"].id, populate_existing=True).digest_enabled
    fresh = app.test_client()  # no cookie, no CSRF token: RFC 8058 one-click
    response = fresh.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    session.commit()
    manager = session.get(Manager, org["growth"].id, populate_existing=True)
    assert not manager.digest_enabled and manager.same_day_alerts and manager.active
    assert fresh.post(path.replace("unsubscribe/", "unsubscribe/x")).status_code == 404
    send_due_digests(session, MONDAY + dt.timedelta(days=7), smtp(smtp_server), sleep=no_sleep)
    assert len(digest_for(smtp_server, org["growth"].email)) == 1


def test_quiet_weeks_can_be_skipped(session, org, smtp_server):
    org["tiny"].quiet_week_emails = False
    session.commit()
    send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    assert digest_for(smtp_server, org["tiny"].email) == []


def test_the_digest_respects_the_managers_day_hour_and_zone(session, org, smtp_server):
    manager = org["field"]
    manager.digest_weekday, manager.digest_hour, manager.timezone = 2, 9, "America/New_York"
    session.commit()
    send_due_digests(session, MONDAY, smtp(smtp_server), sleep=no_sleep)
    assert digest_for(smtp_server, manager.email) == []
    wednesday_9_ny = dt.datetime(2026, 4, 22, 13, 0, tzinfo=UTC)
    send_due_digests(session, wednesday_9_ny, smtp(smtp_server), sleep=no_sleep)
    assert len(digest_for(smtp_server, manager.email)) == 1


def test_a_digest_run_lets_go_of_the_managers_it_chose_while_sending(session, factory, tmp_path):
    # Each send commits several times and every commit expires all objects the session holds:
    # a run that kept every due manager loaded while sending did work of managers × e-mails.
    factory.people({f"team-{i:02d}": ("sales" if i % 2 else "marketing", 2) for i in range(40)})
    session.commit()
    held = []

    class CountingOutbox(OutboxTransport):
        def send(self, message):
            held.append(sum(isinstance(obj, Manager) for obj in session.identity_map.values()))
            super().send(message)

    session.expunge_all()  # start as a job does: nothing loaded
    assert send_due_digests(session, MONDAY, CountingOutbox(tmp_path), sleep=no_sleep) == 40
    assert len(held) == 40 and max(held) <= 3, held


def test_the_unsubscribe_link_is_written_as_a_plain_link_on_the_wire(session, org, tmp_path):
    # Folded at 78 characters, the long link became RFC 2047 encoded words, which mail clients
    # do not decode in List-Unsubscribe: the one-click link would not have worked.
    send_due_digests(session, MONDAY, OutboxTransport(tmp_path), sleep=no_sleep)
    raw = next(path.read_bytes() for path in tmp_path.glob("*.eml")
               if f"To: {org['growth'].email}".encode() in path.read_bytes())
    header = re.search(rb"^List-Unsubscribe: (.*)$", raw, re.MULTILINE).group(1)
    assert re.fullmatch(rb"<http://127\.0\.0\.1:5000/unsubscribe/[A-Za-z0-9._-]+>", header)
    assert b"=?utf-8?" not in raw.split(b"\n\n")[0]  # no header needed encoding
    # The parts keep the transfer encodings the default policy chose for them.
    assert raw.count(b"Content-Transfer-Encoding: 7bit") + raw.count(
        b"Content-Transfer-Encoding: quoted-printable") == 2
