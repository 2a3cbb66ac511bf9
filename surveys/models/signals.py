"""Stored tension signals and the interventions managers plan against them."""
import enum

from sqlalchemy import Enum, Float, ForeignKey, JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import Base, UTCDateTime, utcnow


class SignalState(str, enum.Enum):
    """Where a signal stands for the people acting on it."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class StoredSignal(Base):
    """One episode of tension on one metric of a team (or a marketing–sales pair)."""

    __tablename__ = "signals"
    __table_args__ = (UniqueConstraint("key", "first_week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: kind|teams|metric: the same problem keeps its key from week to week.
    key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    #: Team slugs involved (one team, or a marketing team and a sales team).
    teams: Mapped[list] = mapped_column(JSON)
    metric: Mapped[str] = mapped_column(String(80))
    #: Week the episode started, and the latest week it was assessed.
    first_week: Mapped[str] = mapped_column(String(8))
    week: Mapped[str] = mapped_column(String(8))
    severity: Mapped[str] = mapped_column(String(8))
    confidence: Mapped[float] = mapped_column(Float)
    #: new, escalating, easing or continuing, compared with the previous detection run.
    trend: Mapped[str] = mapped_column(String(16), default="new")
    evidence: Mapped[dict] = mapped_column(JSON)
    #: Intervention ids, best first.
    interventions: Mapped[list] = mapped_column(JSON)
    state: Mapped[SignalState] = mapped_column(
        Enum(SignalState, native_enum=False, length=16), default=SignalState.OPEN, index=True)
    first_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_seen_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    resolved_week: Mapped[str | None] = mapped_column(String(8), nullable=True)
    #: When the trend or state last changed (what a weekly digest reports on).
    changed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class PlanState(str, enum.Enum):
    """An intervention's progress: planned → started → completed."""

    PLANNED = "planned"
    STARTED = "started"
    COMPLETED = "completed"


class InterventionPlan(Base):
    """A manager's decision to run one catalogue intervention for a team or a pair of teams."""

    __tablename__ = "intervention_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Catalogue id, e.g. "ownership-map".
    intervention_id: Mapped[str] = mapped_column(String(64))
    #: Team slugs it is run for.
    teams: Mapped[list] = mapped_column(JSON)
    #: The metric whose before/after shows whether it helped.
    metric: Mapped[str] = mapped_column(String(80))
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signals.id"), nullable=True, index=True)
    state: Mapped[PlanState] = mapped_column(
        Enum(PlanState, native_enum=False, length=16), default=PlanState.PLANNED)
    owner: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("managers.id"), nullable=True)
    planned_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: ISO weeks in which it started and was completed.
    started_week: Mapped[str | None] = mapped_column(String(8), nullable=True)
    completed_week: Mapped[str | None] = mapped_column(String(8), nullable=True)

    signal: Mapped[StoredSignal | None] = relationship()
