"""Anonymous answers. Nothing here can be joined to an invitation or a person (DESIGN §3.1).

Both tables are WITHOUT ROWID on SQLite and keyed by random ids, so even the physical row order
does not reveal which response came in after which invitation was used.
"""
from sqlalchemy import Date, Float, ForeignKey, Index, Integer, JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import Base


class Response(Base):
    """One person's answers to one round: team, round, day and answers only."""

    __tablename__ = "responses"
    __table_args__ = {"sqlite_with_rowid": False}

    #: Random hex id, never sequential.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    #: Day of submission only; no finer time is kept.
    submitted_on = mapped_column(Date, nullable=False)
    #: The 0–10 recommend answer, if given.
    enps: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: Optional free-text comment (shown to managers only at the comment minimum, shuffled).
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: VADER compound of the comment, when there is one.
    comment_sentiment: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: Tension score 0..1 of the comment.
    comment_tension: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: Friction categories found in the comment (a sorted list of names).
    comment_friction: Mapped[list | None] = mapped_column(JSON, nullable=True)

    answers: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan")


class Answer(Base):
    """One 1–5 answer to one item of the question bank."""

    __tablename__ = "answers"
    __table_args__ = (
        # Covering index of the rollup: per round and item, count/sum/sum of squares are read
        # from the index in order, without visiting each response by its random id.
        Index("ix_answers_round_item", "round_id", "item_id", "value"),
        {"sqlite_with_rowid": False},
    )

    response_id: Mapped[str] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    #: The response's round, copied here for the rollup's index (it tells nothing the response
    #: does not); set by whoever creates the answer, never null since migration 0008.
    round_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    response: Mapped[Response] = relationship(back_populates="answers")
