"""An organisation with an open survey round and real invitation links, for load and fault runs.

Unlike `orgdata` (bulk inserts of closed history), the part that is exercised over HTTP is built
through the services a real installation uses: people import, schedules, round opening,
invitations and minted link tokens. Only the closed history behind the manager pages comes from
`orgdata.add_week`, since the services would take far longer than what is measured.
"""
import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass, field

from sqlalchemy import select

from app import create_app
from app.extensions import db
from benchmarks.orgdata import add_week
from config import TestConfig
from surveys.accounts import create_account, set_password
from surveys.db import immediate_transaction, utcnow
from surveys.invitations import issue_invitations, mint_token
from surveys.models import Manager, Team
from surveys.people import import_people
from surveys.rounds import create_schedule, open_due_rounds
from surveys.signals import detect_and_store

#: People per team; 5,000 people make 500 teams, each with its own manager.
TEAM_SIZE = 10
#: Every benchmark account signs in with this.
PASSWORD = "benchmark password"
ADMIN_EMAIL = "admin@example.com"
#: Managers given a password (hashing is deliberately slow, so not all of them).
SIGNED_IN_MANAGERS = 3
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@dataclass
class Org:
    """What the HTTP clients need: links (token, round id) and accounts (email, team slug)."""

    links: list = field(default_factory=list)
    managers: list = field(default_factory=list)
    round_ids: list = field(default_factory=list)
    team_slugs: list = field(default_factory=list)


def database_url_for(folder, url=None):
    """`url`, or a fresh SQLite file in `folder`."""
    return url or f"sqlite:///{folder}/tandem.db"


def server_env(folder, database_url):
    """Environment for Tandem processes (server, flask commands) of a benchmark run."""
    # One client address sends every request, so the per-address limits would only measure
    # the limiter refusing us; they are switched off like in the test configuration.
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "benchmark",
            "MAIL_OUTBOX_DIR": f"{folder}/outbox", "RATELIMIT_ENABLED": "false",
            "FLASK_APP": "app"}


#: How docs/deploy.md runs batch jobs (cron lines, Celery units): below the web workers' priority.
BATCH_NICE = 10


def flask_command(folder, database_url, *args, timeout=300, nice=None):
    """Run `flask --app app ARGS` as a separate process, as cron would; returns its stdout.

    `nice`: the niceness to run it at (`nice -n NICE flask …`, as deploy.md's cron line does).
    """
    prefix = ["nice", "-n", str(nice)] if nice is not None else []
    done = subprocess.run([*prefix, sys.executable, "-m", "flask", "--app", "app", *args], cwd=REPO,
                          env=server_env(folder, database_url), capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def migrate(folder, database_url):
    """Bring the (empty) database to the latest schema with `flask db upgrade`."""
    flask_command(folder, database_url, "db", "upgrade")


def app_for(folder, database_url):
    """A Tandem app on the benchmark database, for building data in-process."""
    return create_app(TestConfig(folder, database_url))


def people_csv(n_people):
    """A people file: teams of TEAM_SIZE, alternately marketing and sales, one manager each."""
    lines = ["email,name,team,department,manager_email"]
    for index in range(n_people):
        team = index // TEAM_SIZE
        department = "marketing" if team % 2 == 0 else "sales"
        lines.append(f"p{index}@example.com,Person {index},team-{team:04d},{department},"
                     f"boss-{team:04d}@example.com")
    return "\n".join(lines) + "\n"


def build(session, n_people, history_weeks, now=None):
    """People, closed history, signals, accounts, and an open round with one link per person."""
    now = now or utcnow()
    import_people(session, people_csv(n_people))
    for week in range(history_weeks):
        add_week(session, week, seed=week)
    detect_and_store(session, now, 5)
    org = Org(managers=_accounts(session, now))
    _open_current_round(session, now, history_weeks, org)
    return org


def _accounts(session, now):
    """An admin and a few managers who can sign in; every manager's digest is due today."""
    create_account(session, ADMIN_EMAIL, "Admin", "admin", password=PASSWORD)
    managers = session.scalars(select(Manager).where(Manager.role == "manager")
                               .order_by(Manager.email)).all()
    for manager in managers[:SIGNED_IN_MANAGERS]:
        set_password(session, manager, PASSWORD)
    with immediate_transaction(session):
        for manager in session.scalars(select(Manager)):
            manager.digest_weekday, manager.digest_hour, manager.timezone = now.weekday(), 0, "UTC"
    signed_in = [(ADMIN_EMAIL, "team-0000")]
    return signed_in + [(m.email, sorted(t.slug for t in m.teams)[0])
                        for m in managers[:SIGNED_IN_MANAGERS]]


def _open_current_round(session, now, history_weeks, org):
    # The schedule starts `history_weeks` weeks ago at midnight, so the current round (numbered
    # after the history's rounds) is open today whatever the weekday.
    starts = now.date() - dt.timedelta(weeks=history_weeks)
    with immediate_transaction(session):
        teams = list(session.scalars(select(Team).order_by(Team.slug)))
        for team in teams:
            team.timezone = "UTC"
            create_schedule(session, team, "weekly", starts, open_hour=0)
    with immediate_transaction(session):
        rounds = open_due_rounds(session, now)
        invitations = [inv for r in rounds for inv in issue_invitations(session, r)]
    org.links = [(mint_token(session, inv), inv.round_id) for inv in invitations]
    session.commit()
    org.round_ids = [r.id for r in rounds]
    org.team_slugs = [t.slug for t in teams]


def prepare(folder, database_url, n_people, history_weeks):
    """Migrate an empty database and build the organisation; returns the Org."""
    migrate(folder, database_url)
    app = app_for(folder, database_url)
    with app.app_context():
        org = build(db.session, n_people, history_weeks)
        db.session.remove()
        db.engine.dispose()
    return org
