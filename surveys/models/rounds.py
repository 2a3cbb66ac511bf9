"""Survey schedules and rounds, and the invitations that carry each person's link."""
import enum

from sqlalchemy import Boolean, Date, Enum, ForeignKey, Integer, JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import Base, UTCDateTime, utcnow


class Cadence(str, enum.Enum):
    """How often a team is surveyed."""

    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


class RoundState(str, enum.Enum):
    """Lifecycle of a round: draft → open → closed, never backwards."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Schedule(Base):
    """A team's survey cadence: when its rounds open and how long they stay open."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), unique=True)
    cadence: Mapped[Cadence] = mapped_column(Enum(Cadence, native_enum=False, length=16))
    #: Local date of the first round; later rounds follow the cadence from here.
    starts_on = mapped_column(Date, nullable=False)
    #: Local hour (0–23) at which a round opens on its day.
    open_hour: Mapped[int] = mapped_column(Integer, default=9)
    #: How many days a round stays open.
    open_days: Mapped[int] = mapped_column(Integer, default=5)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    team = relationship("Team")


class SurveyRound(Base):
    """One round of a team's pulse survey, with the items it asks."""

    __tablename__ = "rounds"
    __table_args__ = (UniqueConstraint("team_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    #: Sequence number of the round within its team's schedule, from 0; None for imported history.
    number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[RoundState] = mapped_column(
        Enum(RoundState, native_enum=False, length=16), default=RoundState.DRAFT)
    opens_at = mapped_column(UTCDateTime, nullable=False)
    closes_at = mapped_column(UTCDateTime, nullable=False)
    #: ISO week of the opening day in the team's zone, e.g. "2026-W14": the panel's week.
    week: Mapped[str] = mapped_column(String(8), index=True)
    #: Question bank version and the item ids this round asks (recommend and comment always follow).
    bank_version: Mapped[int] = mapped_column(Integer)
    item_ids: Mapped[list] = mapped_column(JSON)

    team = relationship("Team")


class Invitation(Base):
    """Who was asked in a round. Deliberately no link to any response (DESIGN §3.1)."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("round_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    #: True once an answer was stored; no time is kept, so it cannot be matched to a response.
    used: Mapped[bool] = mapped_column(Boolean, default=False)

    survey_round: Mapped[SurveyRound] = relationship()
    member = relationship("Member")


class InvitationToken(Base):
    """The hash of one link sent for an invitation; each e-mail carries a freshly minted token."""

    __tablename__ = "invitation_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the token, hex; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    invitation: Mapped[Invitation] = relationship()
