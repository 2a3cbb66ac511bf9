"""`flask surveys …`: rounds, invitations, reminders and response counts."""
import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli.common import parse_now
from app.extensions import db
from app.jobs import run_due_surveys
from app.mail.transport import transport_from_config
from app.tasks import mail_queue
from surveys.db import immediate_transaction
from surveys.models import Team
from surveys.responses import response_rates
from surveys.rounds import create_schedule

surveys_cli = AppGroup("surveys", help="Survey rounds, invitations and reminders.")


@surveys_cli.command("run-due")
@click.option("--now", help="Pretend it is this ISO date-time (UTC unless an offset is given).")
def run_due_command(now):
    """Close finished rounds, open due ones, send invitations and reminders. Safe to rerun."""
    config = current_app.config
    report = run_due_surveys(db.session, parse_now(now), transport_from_config(config),
                             queue=mail_queue(config))
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
    """Invited and responded counts per round; counts under the group minimum are not shown."""
    teams = {t.id: t.slug for t in db.session.scalars(select(Team))}
    minimum = current_app.config["ANONYMITY_MIN_GROUP"]
    for rate in response_rates(db.session):
        answered = rate.responded if rate.responded >= minimum else f"fewer than {minimum}"
        click.echo(f"{rate.week} {teams[rate.team_id]}: {answered} of {rate.invited} answered")
