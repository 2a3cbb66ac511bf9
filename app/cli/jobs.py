"""`flask jobs run-due` and `flask digests send`: the periodic jobs by hand or from cron."""
import click
from flask import current_app
from flask.cli import AppGroup

from app.cli.common import parse_now
from app.extensions import db
from app.jobs import send_due_digests
from app.mail.transport import transport_from_config
from app.scheduler import run_due_jobs
from app.tasks import mail_queue, queue_configured

jobs_cli = AppGroup("jobs", help="Periodic jobs.")
digests_cli = AppGroup("digests", help="Weekly digest e-mails.")


@jobs_cli.command("run-due")
@click.option("--now", help="Pretend it is this ISO date-time.")
def run_due_command(now):
    """Run every due job: surveys, signal detection, alerts, digests. Safe to run anywhere, often."""
    for name, result in run_due_jobs(db.session, parse_now(now), current_app.config).items():
        click.echo(f"{name}: {result}")


@digests_cli.command("send")
@click.option("--now", help="Pretend it is this ISO date-time.")
def send_digests_command(now):
    """Send the weekly digests that are due (each at most once per manager and week)."""
    config = current_app.config
    done = send_due_digests(db.session, parse_now(now), transport_from_config(config),
                            queue=mail_queue(config))
    click.echo(f"queued {done} digest(s) for the workers" if queue_configured(config)
               else f"sent {done} digest(s)")
