"""The task queue end to end: real redis-server, real `celery worker`, real SMTP, real database."""
import datetime as dt
import json
import time
from collections import Counter

from sqlalchemy import select

from app.jobs import run_due_surveys
from app.scheduler import run_due_jobs
from app.mail.transport import transport_from_config
from app.tasks import enqueue
from surveys.api_tokens import create_api_token
from surveys.db import utcnow
from surveys.messages.kept import STALE_AFTER
from surveys.messages.store import tallies
from surveys.models import KeptMessageBatch, MailState, Manager, MessageSample, OutgoingMail
from surveys.outgoing import STALE_CLAIM, expire_stale_claims
from tests.conftest import NOW
from tests.log_capture import remember
from tests.message_factories import members, opt_in, sample_count, switch_on
from tests.smtp_server import SmtpServer
from tests.tasks.conftest import VISIBILITY_TIMEOUT, open_round_today
from tests.services import wait_for
from tests.tasks.services import SlowRelay

#: Seconds a worker may take to finish what the test handed it.
WORK_TIMEOUT = 30


def ledger(session):
    """{recipient: state} of every e-mail the ledger knows, read afresh."""
    session.commit()
    return {mail.recipient: mail.state for mail in session.scalars(select(OutgoingMail))}


def recipients(server):
    return Counter(message["To"] for message in server.messages)


def test_invitations_queued_through_the_broker_arrive_once(queued_app, session, factory, client,
                                                            smtp_server, start_worker, broker):
    people = open_round_today(factory, session, 5)
    job = enqueue("run_due_jobs")
    # With a broker, asking for the work only queues it: nothing happens until a worker runs.
    assert broker.client.llen("celery") == 1 and ledger(session) == {}

    start_worker(smtp_server.port)
    done = job.get(timeout=WORK_TIMEOUT)
    assert done["surveys"].startswith("closed 0 round(s), opened 1, invited 5, sent 0")
    assert done["surveys"].endswith("5 queued for the workers")
    wait_for(lambda: len(smtp_server.messages) == 5, WORK_TIMEOUT, "five invitations")

    again = enqueue("run_due_jobs").get(timeout=WORK_TIMEOUT)
    assert "invited 0" in again["surveys"] and "queued" not in again["surveys"]
    # The same keys asked for again (a redelivery, a second runner): the ledger says no.
    session.commit()
    keys = sorted(session.scalars(select(OutgoingMail.dedup_key)))
    assert [enqueue("send_mail", key).get(timeout=WORK_TIMEOUT) for key in keys] == \
        ["not sent"] * 5
    assert recipients(smtp_server) == Counter(people)
    assert set(ledger(session).values()) == {MailState.SENT}
    # The link a worker minted works on the web side.
    text = smtp_server.messages[0].get_body(("plain",)).get_content()
    link = next(line.strip() for line in text.splitlines() if "/s/" in line)
    assert client.get(link.replace(queued_app.config["BASE_URL"], "")).status_code == 303


def post_messages(client, token, items):
    return client.post("/api/v1/messages", data=json.dumps(items), content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


def kept_batches(session):
    """How many batches wait for a worker, read in a new transaction (the worker commits its own)."""
    session.commit()
    return len(session.scalars(select(KeptMessageBatch)).all())


def message_world(session, factory):
    """Three members, two sharing messages; an ingest token; three queued-text messages."""
    factory.people({"growth": ("marketing", 3)})
    switch_on(session, NOW)
    people = members(session)
    opt_in(session, people[:2], NOW)
    manager = session.scalars(select(Manager)).first()
    token = remember(create_api_token(session, manager, "slack bot", scope="ingest")[1])
    texts = [remember(f"Sales ignored every lead we sent again, typical {i} (queued-text-{i})")
             for i in range(3)]
    items = [{"message_id": str(i), "author_email": person.email, "sent_at": "2026-03-02T10:00:00Z",
              "text": text} for i, (person, text) in enumerate(zip(people, texts))]
    return people, token, texts, items


def test_a_message_import_is_scored_by_a_worker_and_a_redelivery_stores_nothing_twice(
        queued_app, session, factory, client, smtp_server, start_worker, broker):
    people, token, texts, items = message_world(session, factory)

    response = post_messages(client, token, items)
    assert response.status_code == 202 and response.get_json() == {"received": 3}
    assert sample_count(session) == 0  # accepted, not stored: a worker scores it
    # The batch waits in the database, redacted and without the author who did not opt in;
    # Redis holds only its id.
    session.commit()  # read after the request's own commit
    [kept] = session.scalars(select(KeptMessageBatch)).all()
    assert "queued-text-2" not in json.dumps(kept.messages)
    assert people[2].email not in json.dumps(kept.messages)
    queued = broker.client.lindex("celery", 0)
    assert b"queued-text" not in queued and b"@example.com" not in queued
    # Deliver the very same task twice, as Redis does after a worker died before acknowledging.
    broker.client.lpush("celery", queued)

    worker = start_worker(smtp_server.port)
    wait_for(lambda: broker.client.llen("celery") == 0 and not broker.client.hlen("unacked"),
             WORK_TIMEOUT, "both deliveries of the batch to be done")
    assert sample_count(session) == 2
    scored = session.scalars(select(MessageSample)).all()
    assert all(s.tension > 0.5 and s.sentiment < 0 and s.text is None for s in scored)
    assert tallies(session) == {"stored": 2, "no_consent": 1}  # the repeat found nothing to do
    assert kept_batches(session) == 0
    assert not any(text in worker.output() for text in texts)


def test_an_accepted_batch_whose_task_redis_lost_is_queued_again_and_stored(
        queued_app, session, factory, client, smtp_server, start_worker, broker):
    people, token, _texts, items = message_world(session, factory)
    assert post_messages(client, token, items).status_code == 202
    broker.client.delete("celery")  # the task is gone, as when Redis hands it to a dying worker
    worker = start_worker(smtp_server.port)

    assert run_due_jobs(session, utcnow(), queued_app.config)["kept-batches"] == 0  # not yet due
    later = utcnow() + STALE_AFTER + dt.timedelta(minutes=1)
    assert run_due_jobs(session, later, queued_app.config)["kept-batches"] == 1
    wait_for(lambda: sample_count(session) == 2, WORK_TIMEOUT, "the batch queued again to be stored")
    wait_for(lambda: kept_batches(session) == 0, WORK_TIMEOUT, "the stored batch to be forgotten")
    assert run_due_jobs(session, later + STALE_AFTER * 2, queued_app.config)["kept-batches"] == 0
    assert worker.output()


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(queued_app, session,
                                                                         factory, start_worker):
    relay = SlowRelay(delay=0.5)
    with SmtpServer(relay) as server:
        people = open_round_today(factory, session, 6)
        tasks = []
        report = run_due_surveys(session, utcnow(), transport_from_config(queued_app.config),
                                 queue=lambda key: tasks.append(enqueue("send_mail", key)))
        assert (report.invited, report.queued, report.invitations_sent) == (6, 6, 0)

        first = start_worker(server.port, "w1")
        wait_for(lambda: len(relay.messages) == 3, WORK_TIMEOUT, "a third e-mail at the relay")
        first.kill()  # the relay holds the third e-mail; its 250 never reached the sender
        killed_at = time.monotonic()
        in_flight = relay.messages[2]["To"]
        states = ledger(session)
        assert states[in_flight] == MailState.SENDING
        assert Counter(states.values()) == {MailState.SENT: 2, MailState.SENDING: 1}

        # Redis gives an unacknowledged task to a worker once the visibility timeout has passed.
        time.sleep(max(0.0, VISIBILITY_TIMEOUT + 0.2 - (time.monotonic() - killed_at)))
        start_worker(server.port, "w2")
        outcomes = [task.get(timeout=WORK_TIMEOUT) for task in tasks]

        # Every task ran to the end, the killed one included (redelivered, nothing lost); the
        # killed one found its e-mail claimed and did not send it again.
        assert Counter(outcomes) == {"sent": 5, "not sent": 1}
        assert recipients(server) == Counter(people)  # six e-mails, each exactly once
        states = ledger(session)
        assert Counter(states.values()) == {MailState.SENT: 5, MailState.SENDING: 1}
        # Nobody can know whether the relay kept the in-flight one: after the stale-claim period
        # it is UNCONFIRMED, shown to admins and never sent again, by any later run either.
        later = utcnow() + STALE_CLAIM + STALE_CLAIM
        assert expire_stale_claims(session, later) == 1
        assert ledger(session)[in_flight] == MailState.UNCONFIRMED
        rerun = run_due_surveys(session, later, transport_from_config(queued_app.config))
        assert (rerun.invitations_sent, rerun.queued) == (0, 0)
        assert len(server.messages) == 6
