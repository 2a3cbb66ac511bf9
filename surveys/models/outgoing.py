"""The mail ledger: every e-mail is recorded here before it is sent, keyed so it is sent once."""
import enum

from sqlalchemy import Enum, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from surveys.db import Base, UTCDateTime, utcnow


class MailState(str, enum.Enum):
    """Where one e-mail stands."""

    SENDING = "sending"          # claimed by a sender; the SMTP conversation may be under way
    RETRY = "retry"              # a transient failure; try again at next_attempt_at
    SENT = "sent"                # accepted by the server or written to the outbox
    FAILED = "failed"            # permanent failure, or transient ones for longer than a day
    UNCONFIRMED = "unconfirmed"  # a sender died mid-send: it may have gone out, so never resent


class OutgoingMail(Base):
    """One e-mail Tandem decided to send, claimed before the send so a rerun never repeats it."""

    __tablename__ = "outgoing_mail"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What makes this e-mail unique, e.g. "invitation:42" or "reminder:42:halfway".
    dedup_key: Mapped[str] = mapped_column(String(120), unique=True)
    #: invitation, reminder, digest, alert …
    kind: Mapped[str] = mapped_column(String(32), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[MailState] = mapped_column(
        Enum(MailState, native_enum=False, length=16), default=MailState.SENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    first_claimed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    claimed_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    next_attempt_at = mapped_column(UTCDateTime, nullable=True)
    sent_at = mapped_column(UTCDateTime, nullable=True)
    #: The server's answer for the last failure (never the message body).
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
