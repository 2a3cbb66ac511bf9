"""Redaction: a corpus of personal details that must never reach the database or the logs."""
import logging

import pytest
from sqlalchemy import select, text

from surveys.db import Base
from surveys.messages.ingest import import_messages
from surveys.messages.redaction import Redactor, directory_names
from surveys.models import MessageSample
from tests.conftest import NOW
from tests.message_factories import members, opt_in, raw, switch_on

#: (text, the personal details in it that must disappear)
CORPUS = [
    ("Call me on +44 20 7946 0958 before noon.", ["7946", "0958"]),
    ("US office: (415) 555-0132, or 415.555.0132, or 415-555-0132.", ["555", "0132"]),
    ("Berlin desk 0049 30 1234567 and mobile +1-415-555-0199.", ["1234567", "0199"]),
    ("Mail jordan.ex@partner-corp.com or Sales@Example.COM for the list.", ["jordan.ex", "partner-corp", "Sales@"]),
    ("Deck is at https://drive.example.com/d/abc?x=1 and www.leads.io/q3 too.", ["drive.example", "abc?x", "leads.io"]),
    ("See <https://crm.example.org/lead/42|the lead> and acme.com/pricing", ["crm.example", "acme.com"]),
    ("@maria.k can you check? cc <@U024BE7LH> and @sales-lead", ["maria.k", "U024BE7LH", "sales-lead"]),
    ("Ask Person 0 growth why Person's leads went cold.", ["Person", "growth"]),
    ("Zed Quinlan-Hart and zed said Quinlan knows.", ["Zed", "zed", "Quinlan"]),
]
LEAKS = sorted({leak for _, leaks in CORPUS for leak in leaks})


@pytest.mark.parametrize("text, leaks", CORPUS)
def test_each_personal_detail_is_replaced(text, leaks):
    redactor = Redactor(directory_names(["Person 0 growth", "Zed Quinlan-Hart"]))
    redacted = redactor.redact(text)
    assert not [leak for leak in leaks if leak.lower() in redacted.lower()], redacted


def test_ordinary_numbers_and_dates_stay():
    redacted = Redactor().redact("On 2026-04-01 we handed over 40 leads worth $1,200,000 in Q3 2026.")
    assert redacted == "On 2026-04-01 we handed over 40 leads worth $1,200,000 in Q3 2026."


def test_no_detail_of_the_corpus_reaches_the_database_or_the_logs(app, session, factory, caplog):
    factory.people({"growth": ("marketing", 2)})
    factory.session.execute(text("UPDATE members SET name = 'Zed Quinlan-Hart' WHERE id = 2"))
    session.commit()
    switch_on(session, NOW)
    people = members(session)
    opt_in(session, people, NOW)
    caplog.set_level(logging.DEBUG)
    messages = [raw(people[i % 2], body, i) for i, (body, _) in enumerate(CORPUS)]
    report = import_messages(session, "csv", messages, NOW, retention_days=30)
    assert report.stored == len(CORPUS)
    kept = " ".join(session.scalars(select(MessageSample.text)))
    # every row of every message table (the directory itself holds names, of course)
    dump = "\n".join(f"{table.name}: {row!r}" for table in Base.metadata.sorted_tables
                     if table.name.startswith("message_")
                     for row in session.execute(select(table)))
    for leak in LEAKS:
        assert leak.lower() not in kept.lower(), leak
        assert leak.lower() not in caplog.text.lower(), leak
        assert leak not in dump, leak
    assert dump.count("message_samples: ") == len(CORPUS)
    assert "[phone]" in kept and "[email]" in kept and "[name]" in kept and "[mention]" in kept
