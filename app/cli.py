"""Command-line jobs (`flask --app app …`); each command is a thin shell around a service."""
import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.demo import load_demo
from app.extensions import db
from app.jobs import run_due_surveys
from app.mail.transport import transport_from_config
from surveys.db import immediate_transaction, utcnow
from surveys.errors import ImportRowError
from surveys.models import Team
from surveys.people import import_people
from surveys.responses import response_rates
from surveys.rounds import create_schedule

people_cli = AppGroup("people", help="The people directory.")
surveys_cli = AppGroup("surveys", help="Survey rounds, invitations and reminders.")


def parse_now(value):
    """An ISO timestamp given on the command line, as aware UTC (default: the current time)."""
    if not value:
        return utcnow()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date-time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def read_text_file(path):
    """A UTF-8 text file's content, or a click error naming the problem."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{path}: not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise click.ClickException(f"{path}: {error.strerror}") from None


@people_cli.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False))
def import_people_command(csv_file):
    """Create or update people, teams and managers from CSV_FILE (all lines or none)."""
    try:
        report = import_people(db.session, read_text_file(csv_file))
    except ImportRowError as error:
        for line, reason in error.problems:
            click.echo(f"{csv_file}:{line}: {reason}", err=True)
        raise click.ClickException(f"{len(error.problems)} bad line(s); nothing was imported")
    click.echo(f"created {report.created}, updated {report.updated}, reactivated "
               f"{report.reactivated}, unchanged {report.unchanged}; {report.teams_created} new "
               f"team(s), {report.managers_created} new manager account(s)")
    if report.not_in_file:
        click.echo(f"{len(report.not_in_file)} active member(s) are not in the file and were left "
                   "active: " + ", ".join(report.not_in_file))


@surveys_cli.command("run-due")
@click.option("--now", help="Pretend it is this ISO date-time (UTC unless an offset is given).")
def run_due_command(now):
    """Close finished rounds, open due ones, send invitations and reminders. Safe to rerun."""
    report = run_due_surveys(db.session, parse_now(now), transport_from_config(current_app.config))
    click.echo(str(report))


@surveys_cli.command("schedule")
@click.argument("team_slugs", nargs=-1)
@click.option("--all", "all_teams", is_flag=True, help="Every team.")
@click.option("--cadence", type=click.Choice(["weekly", "fortnightly", "monthly"]), required=True)
@click.option("--starts", type=click.DateTime(["%Y-%m-%d"]), required=True,
              help="Local date of the first round.")
def schedule_command(team_slugs, all_teams, cadence, starts):
    """Set the survey cadence of the named teams (or --all)."""
    query = select(Team) if all_teams else select(Team).where(Team.slug.in_(team_slugs))
    with immediate_transaction(db.session):
        teams = list(db.session.scalars(query))
        missing = set(team_slugs) - {t.slug for t in teams}
        if missing or not teams:
            raise click.ClickException(f"unknown team(s): {', '.join(sorted(missing)) or 'none given'}")
        for team in teams:
            create_schedule(db.session, team, cadence, starts.date())
    click.echo(f"{len(teams)} team(s) now surveyed {cadence} from {starts.date()}")


@surveys_cli.command("rates")
def rates_command():
    """Invited and responded counts per round (counts only)."""
    teams = {t.id: t.slug for t in db.session.scalars(select(Team))}
    for rate in response_rates(db.session):
        click.echo(f"{rate.week} {teams[rate.team_id]}: {rate.responded}/{rate.invited}")


@click.command("demo")
@click.option("--now", help="Build the demo as if it were this ISO date-time.")
def demo_command(now):
    """Load the demo organisation with a quarter of survey history (into an empty database)."""
    summary = load_demo(db.session, parse_now(now), transport_from_config(current_app.config),
                        current_app.config["BASE_URL"])
    click.echo(summary)


def register_commands(app):
    """Attach every command group to `app`."""
    app.cli.add_command(people_cli)
    app.cli.add_command(surveys_cli)
    app.cli.add_command(demo_command)
