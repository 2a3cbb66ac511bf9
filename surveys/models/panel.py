"""The stored team-week panel: what every page and export reads (never raw answers)."""
from sqlalchemy import Float, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import Base


class PanelCell(Base):
    """One publishable team-week-metric aggregate (DESIGN §6); cells below the minimum never exist."""

    __tablename__ = "panel_cells"
    __table_args__ = (UniqueConstraint("team", "week", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Team slug and its department slug at the time of the rollup.
    #: (the unique constraint's index leads with team, so team lookups need no index of their own)
    team: Mapped[str] = mapped_column(String(64))
    department: Mapped[str] = mapped_column(String(64))
    week: Mapped[str] = mapped_column(String(8), index=True)
    metric: Mapped[str] = mapped_column(String(80))
    mean: Mapped[float] = mapped_column(Float)
    sd: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: Distinct respondents (or texts) behind the figure.
    n: Mapped[int] = mapped_column(Integer)
    invited: Mapped[int | None] = mapped_column(Integer, nullable=True)


class PanelWeek(Base):
    """What a week's stored cells were computed from, so a refresh redoes only changed weeks."""

    __tablename__ = "panel_weeks"

    week: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: Counts of closed rounds, responses and message samples, and the minimums used.
    fingerprint: Mapped[str] = mapped_column(String(200))
