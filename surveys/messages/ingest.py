"""Importing messages from any source: consent first, then redaction, scoring and storage.

A message whose author has no active consent for the source is counted and forgotten before it
is scored. The rest is redacted, checked against what is stored already, scored in batches
(both cores for big imports), spilled to a temporary file as scores, and written in one short
transaction that checks consent again, so a withdrawal during a long import still wins.
"""
import logging
from dataclasses import dataclass, fields

from sqlalchemy import select

from analysis.scoring import score_records
from surveys.messages.consent import consenting_authors
from surveys.messages.records import SOURCES, iso_week, message_hash
from surveys.messages.redaction import Redactor, directory_names
from surveys.messages.store import SpillFile, SampleRow, store_samples
from surveys.messages.switch import enabled_switch
from surveys.models import Member, MessageSample

log = logging.getLogger(__name__)
#: Messages checked against the stored ones per query.
DEDUP_BATCH = 1000


@dataclass
class ImportReport:
    """What became of the messages of one import (counts only, never who)."""

    received: int = 0
    stored: int = 0
    duplicate: int = 0
    no_consent: int = 0
    unknown_author: int = 0
    skipped: int = 0

    def counts(self):
        """{outcome: count} for every outcome but `received`."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "received"}

    def __str__(self):
        return (f"received {self.received}: stored {self.stored}, already stored "
                f"{self.duplicate}, dropped without consent {self.no_consent}, unknown author "
                f"{self.unknown_author}, skipped (system or empty) {self.skipped}")


def import_messages(session, source, messages, now, retention_days=0, workers=None):
    """Import an iterable of RawMessages (None = a skipped system event); all or nothing."""
    batch = prepare_import(session, source, messages, retention_days)
    return score_and_store(session, source, batch.fresh, batch.report, now, workers)


@dataclass
class PreparedImport:
    """An import checked for consent, redacted and deduplicated, ready to be scored.

    `fresh` yields ((message hash, member id, team id, week, kept text or None), redacted text);
    it is lazy, so `materialise()` it before handing it to another process.
    """

    report: ImportReport
    fresh: object

    def materialise(self):
        """The fresh messages as a JSON-ready list (raises MalformedMessages for bad input)."""
        self.fresh = [[list(meta), text] for meta, text in self.fresh]
        return self.fresh


def prepare_import(session, source, messages, retention_days=0):
    """Consent, redaction and the duplicate check of an import; the cheap part, before scoring.

    Raw text never leaves this step: what comes out is redacted and of consenting authors only,
    so it may be queued for a worker (DESIGN §3.5).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown message source {source!r}")
    session.commit()  # read consent as it is now, not as an older open transaction saw it
    switch = enabled_switch(session)
    report = ImportReport()
    consent = consenting_authors(session, source, switch.notice_version)
    known = set(session.scalars(select(Member.email)))
    redactor = Redactor(directory_names(session.scalars(select(Member.name))))
    session.commit()  # no read transaction held open while scoring
    candidates = _consented(messages, consent, known, redactor, report, retention_days > 0)
    return PreparedImport(report, _not_stored(session, source, candidates, report))


def score_and_store(session, source, fresh, report, now, workers=None):
    """Score prepared messages and store them in one transaction; returns the ImportReport.

    Safe to run twice on the same batch: a message already stored is counted as a duplicate,
    never stored again (the insert ignores a repeated source and message hash).
    """
    with SpillFile() as spill:
        for result in score_records(fresh, workers=workers):
            _spill_result(spill, result, report)
        store_samples(session, source, spill, report, now)
    log.info("message import (%s): %s", source, report)
    return report


def _consented(messages, consent, known, redactor, report, keep_text):
    """(meta, redacted text) of messages whose authors share this source; the rest counted."""
    for message in messages:
        report.received += 1
        if message is None or not message.text.strip():
            report.skipped += 1
            continue
        author = consent.get(message.author_email)
        if author is None:
            report.unknown_author += message.author_email not in known
            report.no_consent += message.author_email in known
            continue
        text = redactor.redact(message.text)
        meta = (message.message_id, author[0], author[1], iso_week(message.sent_at),
                text if keep_text else None)
        yield meta, text


def _not_stored(session, source, candidates, report):
    """Candidates whose message id is not stored yet, with the id replaced by its hash."""
    batch = []
    for meta, text in candidates:
        batch.append(((message_hash(source, meta[0]), *meta[1:]), text))
        if len(batch) >= DEDUP_BATCH:
            yield from _drop_stored(session, source, batch, report)
            batch = []
    yield from _drop_stored(session, source, batch, report)


def _drop_stored(session, source, batch, report):
    if not batch:
        return []
    hashes = [meta[0] for meta, _ in batch]
    stored = set(session.scalars(select(MessageSample.message_hash).where(
        MessageSample.source == source, MessageSample.message_hash.in_(hashes))))
    session.commit()
    report.duplicate += sum(h in stored for h in hashes)
    return [item for item in batch if item[0][0] not in stored]


def _spill_result(spill, result, report):
    if "error" in result:
        report.skipped += 1
        return
    message_hash_, member_id, team_id, week, text = result["id"]
    friction = sorted({match["category"] for match in result["friction"]})
    spill.add(SampleRow(message_hash_, member_id, team_id, week,
                        result["sentiment"]["compound"], result["tension"], friction, text))
