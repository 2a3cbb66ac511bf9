"""Who works where: departments, teams, members and the managers who lead teams."""
from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from surveys.db import Base, UTCDateTime, utcnow

#: Which manager leads which team (a manager may lead several; a team may have several).
manager_teams = Table(
    "manager_teams",
    Base.metadata,
    Column("manager_id", ForeignKey("managers.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
)


class Department(Base):
    """A department such as marketing or sales; admins may add others (partner teams)."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable lowercase key, e.g. "marketing".
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    #: Name shown on pages.
    name: Mapped[str] = mapped_column(String(120))

    teams: Mapped[list["Team"]] = relationship(back_populates="department")


class Team(Base):
    """A team whose members are surveyed together and reported on as one group."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable lowercase key, e.g. "growth-marketing"; used in CSV files and the panel.
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    #: Name shown on pages.
    name: Mapped[str] = mapped_column(String(120))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    #: IANA time zone of the team; reminders respect its weekends and working hours.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")

    department: Mapped[Department] = relationship(back_populates="teams")
    members: Mapped[list["Member"]] = relationship(back_populates="team")
    managers: Mapped[list["Manager"]] = relationship(
        secondary=manager_teams, back_populates="teams")


class Member(Base):
    """An employee who receives survey links; never linked to any answer they give."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lowercased e-mail address; the identity used by imports.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    #: Inactive members get no invitations and their open links stop working.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Set when a member unsubscribes from reminder e-mails (invitations still go out).
    reminders_off: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    team: Mapped[Team] = relationship(back_populates="members")


class Manager(Base):
    """A manager or admin account; login details arrive with the manager view."""

    __tablename__ = "managers"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lowercased e-mail address; the login name.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: "manager" sees the teams they lead; "admin" sees everything.
    role: Mapped[str] = mapped_column(String(16), default="manager")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    #: Argon2id hash; None until the manager has set a password.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: Bumped at logout, password change or deactivation: every older session stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    #: Weekly digest: weekday (0 = Monday), local hour and IANA time zone it arrives in.
    digest_weekday: Mapped[int] = mapped_column(Integer, default=0)
    digest_hour: Mapped[int] = mapped_column(Integer, default=8)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    #: False after a one-click unsubscribe: no weekly digest at all.
    digest_enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Whether a week with nothing new still gets a short e-mail.
    quiet_week_emails: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Whether a new high-severity signal is e-mailed the same day.
    same_day_alerts: Mapped[bool] = mapped_column(Boolean, default=True)

    teams: Mapped[list[Team]] = relationship(secondary=manager_teams, back_populates="managers")
