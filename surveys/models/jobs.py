"""Locks that keep two processes from running the same periodic job at once."""
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import Base, UTCDateTime


class JobLock(Base):
    """One row per job name; a runner holds it until `expires_at`."""

    __tablename__ = "job_locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Who holds it (host:pid:random), so only the holder releases it.
    holder: Mapped[str | None] = mapped_column(String(120), nullable=True)
    expires_at = mapped_column(UTCDateTime, nullable=True)
    #: When the job last finished, for jobs that run at most once in a while.
    last_finished_at = mapped_column(UTCDateTime, nullable=True)
