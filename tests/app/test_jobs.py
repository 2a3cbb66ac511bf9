"""The survey job: opens, invites, reminds and closes; reruns and parallel runs send nothing twice."""
import datetime as dt
import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.jobs import run_due_surveys
from app.mail.transport import OutboxTransport, SmtpTransport
from surveys.db import utcnow
from surveys.models import MailState, OutgoingMail, RoundState, SurveyRound
from surveys.reminders import reminder_times
from surveys.responses import submit_response
from tests.factories import full_submission

UTC = dt.timezone.utc
MONDAY_10 = dt.datetime(2026, 3, 30, 10, 0, tzinfo=UTC)


def setup_org(factory, size=5):
    teams = factory.people({"growth": ("marketing", size), "field": ("sales", size)})
    factory.schedule(teams.values())
    return teams


def outbox_files(app):
    return sorted(p.name for p in OutboxTransport(app.config["MAIL_OUTBOX_DIR"]).directory.glob("*.eml"))


def test_run_due_opens_rounds_and_mails_every_member_once(app, session, factory):
    setup_org(factory)
    transport = OutboxTransport(app.config["MAIL_OUTBOX_DIR"])
    report = run_due_surveys(session, MONDAY_10, transport)
    assert (report.opened, report.invited, report.invitations_sent) == (2, 10, 10)
    again = run_due_surveys(session, MONDAY_10 + dt.timedelta(minutes=5), transport)
    assert (again.opened, again.invited, again.invitations_sent, again.reminders_sent) == (0, 0, 0, 0)
    assert len(outbox_files(app)) == 10


def test_invitation_email_has_a_working_link_and_both_parts(app, session, factory, smtp_server, client):
    # The link is followed over HTTP, which uses the real clock: the round opens today.
    teams = factory.people({"growth": ("marketing", 5), "field": ("sales", 5)})
    factory.schedule(teams.values(), starts=utcnow().date(), open_hour=0)
    run_due_surveys(session, utcnow(), SmtpTransport("127.0.0.1", smtp_server.port))
    assert len(smtp_server.messages) == 10
    message = smtp_server.messages[0]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = next(line.strip() for line in text.splitlines() if "/s/" in line)
    assert link in html and "at least 5 people" in text
    path = link.replace(app.config["BASE_URL"], "")
    assert client.get(path).status_code == 303


def test_two_runners_at_once_send_each_invitation_once(app, session, factory):
    setup_org(factory, size=8)
    transport, engine, barrier = OutboxTransport(app.config["MAIL_OUTBOX_DIR"]), db.engine, threading.Barrier(2)
    errors = []

    def runner():
        with app.app_context(), Session(engine) as own:
            barrier.wait()
            try:
                run_due_surveys(own, MONDAY_10, transport)
            except Exception as error:  # surfaced by the assertion below
                errors.append(error)

    threads = [threading.Thread(target=runner) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert len(outbox_files(app)) == 16
    assert session.scalar(select(func.count()).select_from(SurveyRound)) == 2


def test_reminders_go_to_non_responders_on_weekdays_only_once(app, session, factory):
    setup_org(factory)
    transport = OutboxTransport(app.config["MAIL_OUTBOX_DIR"])
    run_due_surveys(session, MONDAY_10, transport)
    survey_round = session.scalars(select(SurveyRound)).first()
    for index in range(2):
        token, invitation = factory.link(survey_round, index)
        submit_response(session, invitation.id, full_submission(survey_round), MONDAY_10)
    times = reminder_times(survey_round)
    assert all(t.weekday() < 5 and 9 <= t.hour < 17 for t in times.values())
    report = run_due_surveys(session, times["halfway"], transport)
    assert report.reminders_sent == 8  # 10 invited across both teams, 2 answered
    assert run_due_surveys(session, times["halfway"] + dt.timedelta(hours=1), transport).reminders_sent == 0
    reminders = session.scalars(select(OutgoingMail).where(OutgoingMail.kind == "reminder")).all()
    assert all(m.state == MailState.SENT for m in reminders)


def test_reminders_never_fall_on_a_weekend(app, session, factory):
    teams = factory.people({"growth": ("marketing", 5)})
    factory.schedule(teams.values(), starts=dt.date(2026, 4, 3))  # rounds open on Fridays
    run_due_surveys(session, dt.datetime(2026, 4, 3, 10, tzinfo=UTC), OutboxTransport(app.config["MAIL_OUTBOX_DIR"]))
    survey_round = session.scalars(select(SurveyRound)).first()
    for moment in reminder_times(survey_round).values():
        assert moment.weekday() < 5


def test_run_due_closes_rounds_that_are_over(app, session, factory):
    setup_org(factory)
    transport = OutboxTransport(app.config["MAIL_OUTBOX_DIR"])
    run_due_surveys(session, MONDAY_10, transport)
    survey_round = session.scalars(select(SurveyRound)).first()
    report = run_due_surveys(session, survey_round.closes_at + dt.timedelta(hours=1), transport)
    assert report.closed == 2 and survey_round.state == RoundState.CLOSED


def test_run_due_command_prints_what_it_did(app, factory):
    setup_org(factory)
    result = app.test_cli_runner().invoke(args=["surveys", "run-due", "--now", MONDAY_10.isoformat()])
    assert result.exit_code == 0, result.output
    assert "opened 2" in result.output and "sent 10 invitation(s)" in result.output
