"""Slack exports (folder or zip) and CSV files: streamed, matched by e-mail, faults located."""
import json
import zipfile

import pytest

from surveys.errors import MalformedMessages
from surveys.messages.csv_source import read_messages_csv_file
from surveys.messages.ingest import import_messages
from surveys.messages.slack import read_slack_export
from tests.conftest import NOW
from tests.message_factories import (
    members, opt_in, sample_count, switch_on, write_messages_csv, write_slack_export)


@pytest.fixture
def people(session, factory):
    factory.people({"growth": ("marketing", 3)})
    switch_on(session, NOW)
    found = members(session)
    opt_in(session, found[:2], NOW)
    return found


@pytest.fixture
def export(tmp_path, people):
    days = {"2026-03-02": [(people[0], "Morning all"), (people[1], "Leads are junk again"),
                           (people[2], "I did not opt in")],
            "2026-03-03": [(people[0], "Thanks for the deck"), ("UBOT", "a bot with no email")]}
    folder = write_slack_export(tmp_path / "export", people, days)
    day = folder / "general" / "2026-03-03.json"
    messages = json.loads(day.read_text()) + [{"type": "message", "subtype": "channel_join",
                                               "user": f"U{people[2].id}", "ts": "1.0", "text": "joined"}]
    day.write_text(json.dumps(messages))
    (folder / "general" / "notes.txt").write_text("not part of the export format")
    (folder / "integration_logs.json").write_text("[]")
    return folder


def _zip(folder, target, prefix=""):
    with zipfile.ZipFile(target, "w") as archive:
        for path in folder.rglob("*"):
            archive.write(path, prefix + str(path.relative_to(folder)))
    return target


def test_a_slack_folder_is_imported_matching_authors_by_email(session, export):
    report = import_messages(session, "slack", read_slack_export(export), NOW)
    assert (report.received, report.stored, report.no_consent) == (6, 3, 1)
    assert report.unknown_author == 1 and report.skipped == 1


@pytest.mark.parametrize("prefix", ["", "acme-export/"])
def test_a_slack_zip_is_imported_too(session, export, tmp_path, prefix):
    archive = _zip(export, tmp_path / "export.zip", prefix)
    assert import_messages(session, "slack", read_slack_export(archive), NOW).stored == 3
    assert import_messages(session, "slack", read_slack_export(archive), NOW).duplicate == 3


def test_a_slack_export_without_users_json_is_refused(session, export):
    (export / "users.json").unlink()
    with pytest.raises(MalformedMessages, match="users.json: missing"):
        import_messages(session, "slack", read_slack_export(export), NOW)


def test_bad_json_in_a_day_file_names_the_file_and_nothing_is_written(session, export):
    (export / "general" / "2026-03-03.json").write_text('[{"type": "message", "ts": ')
    with pytest.raises(MalformedMessages, match=r"general/2026-03-03.json: not valid JSON \(line 1"):
        import_messages(session, "slack", read_slack_export(export), NOW)
    assert sample_count(session) == 0  # the good first day was not half-written


def test_a_message_without_ts_is_located(session, export):
    (export / "general" / "2026-03-02.json").write_text('[{"type": "message", "user": "U1", "text": "x"}]')
    with pytest.raises(MalformedMessages, match="2026-03-02.json: message 1: has no valid ts"):
        list(read_slack_export(export))


def test_junk_instead_of_a_zip_and_a_zip_of_junk_are_refused(tmp_path, export):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(MalformedMessages, match="not a folder or a zip"):
        list(read_slack_export(junk))
    with zipfile.ZipFile(tmp_path / "random.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
        archive.writestr("users.json", "\x00\x01 binary junk")
    with pytest.raises(MalformedMessages, match="users.json: not valid JSON"):
        list(read_slack_export(tmp_path / "random.zip"))


def test_a_day_file_that_is_not_a_list_is_refused(export):
    (export / "general" / "2026-03-02.json").write_text('{"messages": []}')
    with pytest.raises(MalformedMessages, match="expected a list of messages"):
        list(read_slack_export(export))


def test_a_csv_file_is_imported(session, people, tmp_path):
    path = write_messages_csv(tmp_path / "m.csv", [
        ("m1", people[0].email.upper(), "2026-03-02T10:00:00Z", "deals", "Where are the leads?"),
        ("m2", people[2].email, "2026-03-02T11:00:00+01:00", "deals", "Not shared"),
        ("m3", people[1].email, "2026-03-03 09:30", "deals", "Multi-line\ntext, with a comma")])
    report = import_messages(session, "csv", read_messages_csv_file(path), NOW)
    assert (report.stored, report.no_consent) == (2, 1)


@pytest.mark.parametrize("content, where", [
    ("message_id,author_email,text\nm1,a@example.com,hi\n", "m.csv: line 1: missing column(s): sent_at, channel"),
    ("message_id,author_email,sent_at,channel,text\nm1,a@example.com,yesterday,c,hi\n", "m.csv: line 2: sent_at"),
    ("message_id,author_email,sent_at,channel,text\nm1,a@example.com,2026-03-02,c,hi\n"
     "m2,not-an-email,2026-03-02,c,hi\n", "m.csv: line 3: author_email"),
    ("message_id,author_email,sent_at,channel,text\n,a@example.com,2026-03-02,c,hi\n", "line 2: message_id"),
    ("message_id,author_email,sent_at,channel,text\nm1,a@example.com,2026-03-02,c,hi,extra\n", "line 2: more fields"),
    ("message_id,author_email,sent_at,channel,text\nm1,a@example.com,2026-03-02\n", "line 2: fewer fields"),
    ("message_id,author_email,sent_at,channel,text\nm1,a@example.com,2026-03-02,c,hi\x00\n",
     "line 2: contains a NUL character"),
])
def test_a_bad_csv_line_is_reported_with_file_and_line(session, people, tmp_path, content, where):
    path = tmp_path / "m.csv"
    path.write_text(content)
    with pytest.raises(MalformedMessages) as error:
        import_messages(session, "csv", read_messages_csv_file(path), NOW)
    assert where in str(error.value) and sample_count(session) == 0


def test_a_csv_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "m.csv"
    path.write_bytes("message_id,author_email,sent_at,channel,text\n1,a@b.c,2026-03-02,c,caf\xe9\n"
                     .encode("latin-1"))
    with pytest.raises(MalformedMessages, match="not UTF-8"):
        list(read_messages_csv_file(path))
