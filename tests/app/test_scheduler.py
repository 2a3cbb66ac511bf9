"""`flask jobs run-due`, job locks and the preferences page."""
import datetime as dt

from sqlalchemy import select

from app.scheduler import run_due_jobs
from surveys.accounts import create_account
from surveys.locks import acquire_lock, job_lock, last_finished
from surveys.models import Manager
from tests.factories import PASSWORD, csrf_from, sign_in

UTC = dt.timezone.utc
MONDAY_10 = dt.datetime(2026, 3, 30, 10, tzinfo=UTC)


def test_a_held_lock_keeps_a_second_runner_out_until_it_expires(session):
    assert acquire_lock(session, "digests", "runner-a", MONDAY_10)
    assert not acquire_lock(session, "digests", "runner-b", MONDAY_10 + dt.timedelta(minutes=5))
    assert acquire_lock(session, "digests", "runner-b", MONDAY_10 + dt.timedelta(hours=1))


def test_job_lock_records_the_finish_only_when_the_job_succeeded(session):
    with job_lock(session, "detect", MONDAY_10) as held:
        assert held
    assert last_finished(session, "detect") == MONDAY_10
    later = MONDAY_10 + dt.timedelta(hours=1)
    try:
        with job_lock(session, "detect", later):
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert last_finished(session, "detect") == MONDAY_10


def test_run_due_jobs_runs_each_job_and_skips_a_busy_one(app, session, factory):
    teams = factory.people({"growth": ("marketing", 5)})
    factory.schedule(teams.values())
    acquire_lock(session, "digests", "someone-else", MONDAY_10)
    done = run_due_jobs(session, MONDAY_10, app.config)
    assert done["surveys"].invitations_sent == 5 and done["digests"] == "busy"
    assert str(done["detect"]).startswith("0 new")


def test_jobs_run_due_command(app, factory):
    factory.people({"growth": ("marketing", 5)})
    result = app.test_cli_runner().invoke(args=["jobs", "run-due", "--now", MONDAY_10.isoformat()])
    assert result.exit_code == 0 and "surveys:" in result.output and "digests:" in result.output


def test_a_manager_sets_digest_day_hour_and_zone(client, session):
    create_account(session, "lead@example.com", "Lee", password=PASSWORD)
    sign_in(client, "lead@example.com")
    page = client.get("/account/preferences").get_data(as_text=True)
    saved = client.post("/account/preferences", data={
        "digest_enabled": "y", "digest_weekday": "2", "digest_hour": "7", "timezone": "Europe/Paris",
        "same_day_alerts": "", "csrf_token": csrf_from(page)})
    assert saved.status_code == 303
    session.commit()
    manager = session.scalar(select(Manager))
    assert (manager.digest_weekday, manager.digest_hour, manager.timezone) == (2, 7, "Europe/Paris")
    assert manager.digest_enabled and not manager.same_day_alerts and not manager.quiet_week_emails
    bad = client.post("/account/preferences", data={"digest_weekday": "9", "digest_hour": "7",
                                                    "timezone": "Mars/Base", "csrf_token": csrf_from(page)})
    assert bad.status_code == 200 and "Not a valid choice" in bad.get_data(as_text=True)
