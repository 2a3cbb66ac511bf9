"""`flask messages …` and `flask tokens …`, plus the admin section and the manager's team page."""
import pytest
from sqlalchemy import select

from app.scheduler import run_due_jobs
from surveys.accounts import set_password
from surveys.models import ApiToken, Manager
from surveys.signals import detect_and_store
from tests.conftest import NOW
from tests.factories import PASSWORD, csrf_from, sign_in
from tests.message_factories import (
    SENT, members, opt_in, sample_count, write_messages_csv, write_slack_export)


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


@pytest.fixture
def enabled(app, session, factory, tmp_path):
    factory.people({"growth": ("marketing", 6)})
    notice = tmp_path / "notice.txt"
    notice.write_text("We score shared messages. Only team figures are shown.")
    result = run(app, "messages", "enable", "--dpia-ref", "DPIA-7", "--notice-file", str(notice))
    assert result.exit_code == 0 and "message sampling is on" in result.output
    return members(session)


def test_invite_import_and_purge_commands(app, session, enabled, tmp_path):
    assert "sent 6 consent invitation(s)" in run(app, "messages", "invite").output
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 6
    opt_in(session, enabled, NOW)
    export = write_slack_export(tmp_path / "export", enabled, {"2026-03-02": [(enabled[0], "Hi")]})
    result = run(app, "messages", "import", str(export), "--source", "slack")
    assert result.exit_code == 0 and "stored 1" in result.output
    path = write_messages_csv(tmp_path / "m.csv", [("1", enabled[1].email, "nope", "c", "x")])
    result = run(app, "messages", "import", str(path), "--source", "csv")
    assert result.exit_code != 0 and "m.csv: line 2: sent_at" in result.output
    assert "nothing was imported" in result.output and sample_count(session) == 1
    assert "cleared the text of 0" in run(app, "messages", "purge").output


def test_import_is_refused_while_sampling_is_off(app, session, factory, tmp_path):
    factory.people({"growth": ("marketing", 1)})
    path = write_messages_csv(tmp_path / "m.csv", [])
    result = run(app, "messages", "import", str(path), "--source", "csv")
    assert result.exit_code != 0 and "switched off" in result.output


def test_tokens_create_list_and_revoke(app, session, enabled):
    result = run(app, "tokens", "create", "bot", "--scope", "ingest", "--manager",
                 "boss.growth@example.com")
    assert result.exit_code == 0 and "tdm_" in result.output
    assert "\tingest\t" in run(app, "tokens", "list").output
    token_id = session.scalar(select(ApiToken.id))
    assert run(app, "tokens", "revoke", str(token_id)).exit_code == 0
    session.commit()
    assert session.get(ApiToken, token_id).revoked
    assert run(app, "tokens", "create", "x", "--manager", "nobody@example.com").exit_code != 0


def test_the_scheduler_runs_the_purge(app, session, enabled):
    assert run_due_jobs(session, NOW, app.config)["message-purge"] == 0


def _sign_in_admin(session, client):
    from surveys.accounts import create_account
    create_account(session, "root@example.com", "Root", "admin", password=PASSWORD)
    sign_in(client, "root@example.com")


def test_admin_page_switches_and_shows_counts_only_at_the_minimum(app, session, client, enabled):
    _sign_in_admin(session, client)
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "DPIA-7" in page and "fewer than 5" in page
    opt_in(session, enabled[:5], NOW)
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "<td class=\"num\">5</td>" in page and "growth.0@example.com" not in page
    client.post("/admin/messages/disable", data={"csrf_token": csrf_from(page)})
    assert "<strong>Off.</strong>" in client.get("/admin/messages").get_data(as_text=True)


def test_team_page_shows_message_tone_and_hides_small_opt_in_counts(app, session, client, enabled):
    from surveys.messages.ingest import import_messages
    from tests.message_factories import raw
    manager = session.scalar(select(Manager).where(Manager.email == "boss.growth@example.com"))
    set_password(session, manager, PASSWORD)
    opt_in(session, enabled[:4], NOW)
    sign_in(client, "boss.growth@example.com")
    assert "fewer than 5 people in this team share" in client.get("/teams/growth").get_data(as_text=True)
    opt_in(session, enabled[4:], NOW)
    import_messages(session, "api", [raw(p, "Thanks all, great work", p.id, SENT) for p in enabled], NOW)
    detect_and_store(session, NOW, 5, 5)
    page = client.get("/teams/growth").get_data(as_text=True)
    assert "6 people in this team share" in page and "Tone of shared messages by week" in page
    assert "Thanks all" not in page
