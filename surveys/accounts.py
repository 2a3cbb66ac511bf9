"""Manager and admin accounts: passwords (Argon2id), login checks with rate limits, access scope."""
import datetime as dt
import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from surveys.db import immediate_transaction
from surveys.errors import TandemError
from surveys.models import LoginAttempt, Manager, Team
from surveys.people import is_email

#: argon2-cffi's defaults are Argon2id with RFC 9106's low-memory profile.
HASHER = PasswordHasher()
MIN_PASSWORD_LENGTH = 12
LIMIT_WINDOW = dt.timedelta(hours=1)


@functools.cache
def dummy_hash():
    """A hash to verify against when the account has none, so both paths take as long.

    Made on first use, not at import: argon2 is deliberately slow, and every process that
    loads the web app (each gunicorn worker, each cron command) paid for it. gunicorn workers
    make it before their first request (gunicorn.conf.py), so no login pays it there.
    """
    return HASHER.hash("not-a-real-password")


@dataclass(frozen=True)
class LoginLimits:
    """Failed logins allowed per window, per account and per client address."""

    per_account: int = 100
    per_address: int = 300


class LoginRefused(TandemError):
    """Unknown account, wrong password or inactive account: one message for all of them."""

    message = "That e-mail address and password do not match an active account."


class LoginThrottled(TandemError):
    """Too many failed logins recently."""

    message = "Too many failed attempts. Please wait an hour or ask an admin to reset your password."


class WeakPassword(TandemError):
    """A new password does not meet the minimum."""


def hash_password(password):
    """An Argon2id hash of `password`, after checking it is long enough."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > 1000:
        raise WeakPassword("a password can have at most 1000 characters")
    return HASHER.hash(password)


def check_login(session, email, password, address, now, limits=LoginLimits()):
    """The active manager for these credentials; raises LoginThrottled or LoginRefused."""
    email = (email or "").strip().lower()[:254]
    if _recent_failures(session, email, address, now, limits):
        raise LoginThrottled()
    manager = session.scalar(select(Manager).where(Manager.email == email))
    if not _password_matches(manager, password or "") or not manager.active:
        _record_failure(session, email, address, now)
        raise LoginRefused()
    return manager


def _password_matches(manager, password):
    stored = manager.password_hash if manager and manager.password_hash else dummy_hash()
    try:
        return HASHER.verify(stored, password) and manager is not None and bool(manager.password_hash)
    except (VerificationError, InvalidHashError):
        return False


def _recent_failures(session, email, address, now, limits):
    since = now - LIMIT_WINDOW
    count = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at > since)
    by_account = session.scalar(count.where(LoginAttempt.email == email))
    by_address = session.scalar(count.where(LoginAttempt.address == address))
    return by_account >= limits.per_account or by_address >= limits.per_address


def _record_failure(session, email, address, now):
    with immediate_transaction(session):
        session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - LIMIT_WINDOW))
        session.add(LoginAttempt(email=email, address=(address or "unknown")[:64], at=now))


def set_password(session, manager, password):
    """Give a manager a new password; every existing session of theirs ends."""
    password_hash = hash_password(password)
    with immediate_transaction(session):
        manager.password_hash = password_hash
        manager.session_version += 1


def end_sessions(session, manager):
    """Sign a manager out everywhere (logout, deactivation)."""
    with immediate_transaction(session):
        manager.session_version += 1


def create_account(session, email, name, role="manager", password=None):
    """Create a manager or admin account (or update an existing one's role and name)."""
    email = email.strip().lower()
    if not is_email(email) or not name.strip() or role not in ("manager", "admin"):
        raise TandemError("an account needs a valid e-mail address, a name and a role")
    with immediate_transaction(session):
        manager = session.scalar(select(Manager).where(Manager.email == email))
        if manager is None:
            manager = Manager(email=email, name=name.strip(), role=role, active=True)
            session.add(manager)
        manager.name, manager.role, manager.active = name.strip(), role, True
    if password:
        set_password(session, manager, password)
    return manager


def visible_teams(session, manager):
    """The teams a manager may see: all for an admin, the ones they lead otherwise."""
    if manager.role == "admin":
        query = select(Team).options(selectinload(Team.department)).order_by(Team.name)
        return list(session.scalars(query))
    return sorted(manager.teams, key=lambda team: team.name)


def visible_team_slugs(session, manager):
    """The slugs of `visible_teams`, in the same order, without loading an admin's every team."""
    if manager.role == "admin":
        return list(session.scalars(select(Team.slug).order_by(Team.name)))
    return [team.slug for team in visible_teams(session, manager)]


def all_accounts(session):
    """Every manager and admin account, by name."""
    return session.scalars(select(Manager).order_by(Manager.name)).all()
