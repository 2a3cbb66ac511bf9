"""Who may get in: login attempts (for rate limits) and API tokens."""
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import Base, UTCDateTime, utcnow


class LoginAttempt(Base):
    """One failed login, kept for an hour to enforce per-account and per-address limits."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The e-mail address typed (lowercased), whether or not such an account exists.
    email: Mapped[str] = mapped_column(String(254), index=True)
    #: The client address the attempt came from.
    address: Mapped[str] = mapped_column(String(64), index=True)
    at = mapped_column(UTCDateTime, default=utcnow, nullable=False, index=True)


class ApiToken(Base):
    """A token for the JSON API; it acts with the access of the manager who owns it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: SHA-256 of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("managers.id"), index=True)
    #: Tokens for message ingestion (DESIGN §3.5) may not read reports, and report tokens may not ingest.
    scope: Mapped[str] = mapped_column(String(16), default="read")
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)

    manager = relationship("Manager")
