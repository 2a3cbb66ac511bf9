"""Opt-in message samples (DESIGN §3.5): the switch, consent records, scores and counts.

A sample keeps its author's member id only so that withdrawing consent can delete it; nothing
that reads samples for people other than that deletion may use the link (rollups group by team).
"""
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import Base, UTCDateTime, utcnow


class MessageSwitch(Base):
    """One change of the message-sampling switch; the newest row is in force (append-only)."""

    __tablename__ = "message_switches"

    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean)
    #: The organisation's data-protection impact assessment reference (free text).
    dpia_ref: Mapped[str] = mapped_column(String(200))
    #: The notice employees read before opting in.
    notice_text: Mapped[str] = mapped_column(Text)
    #: SHA-256 of the notice text: the notice version a consent refers to.
    notice_version: Mapped[str] = mapped_column(String(64))
    #: Who flipped the switch (an admin's e-mail, or "cli").
    changed_by: Mapped[str] = mapped_column(String(254))


class MessageConsent(Base):
    """One opt-in or opt-out by a member; rows are only ever added (the newest one counts)."""

    __tablename__ = "message_consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: The notice version (hash) the member saw when choosing.
    notice_version: Mapped[str] = mapped_column(String(64))
    #: Sources the choice covers, e.g. ["api", "csv", "slack"].
    scope: Mapped[list] = mapped_column(JSON)
    #: "grant" or "withdraw".
    action: Mapped[str] = mapped_column(String(8))


class MessageSample(Base):
    """The scores of one shared message; text only while MESSAGE_TEXT_RETENTION_DAYS allows."""

    __tablename__ = "message_samples"
    __table_args__ = (UniqueConstraint("source", "message_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "slack", "csv" or "api".
    source: Mapped[str] = mapped_column(String(8))
    #: SHA-256 of the source's message id: enough to refuse a re-import, useless to read.
    message_hash: Mapped[str] = mapped_column(String(64))
    #: Kept only so that a withdrawal can delete the author's samples; never shown or grouped by.
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True)
    #: The author's team when the message was imported.
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    #: ISO week the message was sent in; no finer time is kept.
    week: Mapped[str] = mapped_column(String(8), index=True)
    #: VADER compound, tension 0..1 and friction categories found (sorted names).
    sentiment: Mapped[float] = mapped_column(Float)
    tension: Mapped[float] = mapped_column(Float)
    friction: Mapped[list] = mapped_column(JSON)
    #: Redacted text for re-scoring; None unless retention is on, cleared by the purge job.
    text: Mapped[str | None] = mapped_column(Text, nullable=True)
    stored_at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


class MessageTally(Base):
    """How many messages each source brought and what became of them (counts only)."""

    __tablename__ = "message_tallies"

    source: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: stored, duplicate, no_consent, unknown_author or skipped.
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class KeptMessageBatch(Base):
    """A message batch accepted for a worker, kept here until a worker has stored it.

    Redis can lose a task it hands to a worker that is dying; this row cannot be lost, so a batch
    answered "accepted" is stored in the end: the task carries only the row's id, and the periodic
    jobs queue again any batch left waiting (`surveys.messages.kept`). It holds what the task
    would have held: redacted text of consenting authors, never raw text.
    """

    __tablename__ = "kept_message_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(8))
    #: The prepared records (`surveys.messages.ingest.prepare_import`), as the task took them.
    messages: Mapped[list] = mapped_column(JSON)
    #: The ImportReport counts of the preparation.
    counts: Mapped[dict] = mapped_column(JSON)
    received_at = mapped_column(UTCDateTime, nullable=False)
    #: When the batch was last handed to the queue; an old value means no worker finished it.
    queued_at = mapped_column(UTCDateTime, nullable=False, index=True)
