"""`flask messages …`: the sampling switch, consent invitations, imports and the purge."""
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.cli.common import parse_now, read_text_file
from app.extensions import db
from app.mail.transport import transport_from_config
from app.messages.mail import send_consent_invitations
from app.tasks import mail_queue, queue_configured
from surveys.errors import MalformedMessages, TandemError
from surveys.messages.csv_source import read_messages_csv_file
from surveys.messages.ingest import import_messages
from surveys.messages.slack import read_slack_export
from surveys.messages.store import purge_texts
from surveys.messages.switch import disable_sampling, enable_sampling

messages_cli = AppGroup("messages", help="Opt-in message samples.")
READERS = {"slack": read_slack_export, "csv": read_messages_csv_file}


@messages_cli.command("enable")
@click.option("--dpia-ref", required=True, help="Reference of the data-protection assessment.")
@click.option("--notice-file", required=True, type=click.Path(dir_okay=False),
              help="UTF-8 text file with the notice employees will read.")
def enable_command(dpia_ref, notice_file):
    """Switch message sampling on (a changed notice asks everyone to opt in again)."""
    try:
        switch = enable_sampling(db.session, dpia_ref, read_text_file(notice_file), "cli",
                                 parse_now(None))
    except TandemError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"message sampling is on; notice version {switch.notice_version[:12]}")


@messages_cli.command("disable")
def disable_command():
    """Switch message sampling off (imports stop; stored scores stay)."""
    disable_sampling(db.session, "cli", parse_now(None))
    click.echo("message sampling is off")


@messages_cli.command("invite")
@click.option("--now", help="Pretend it is this ISO date-time.")
def invite_command(now):
    """E-mail every active member their personal consent link (once per notice version)."""
    try:
        config = current_app.config
        done = send_consent_invitations(db.session, parse_now(now), transport_from_config(config),
                                        config["MESSAGE_MIN_CONTRIBUTORS"],
                                        queue=mail_queue(config))
    except TandemError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"queued {done} consent invitation(s) for the workers" if queue_configured(config)
               else f"sent {done} consent invitation(s)")


@messages_cli.command("import")
@click.argument("path", type=click.Path(exists=True))
@click.option("--source", type=click.Choice(sorted(READERS)), required=True)
@click.option("--now", help="Record the import as of this ISO date-time.")
def import_command(path, source, now):
    """Import messages from a Slack export (folder or zip) or a CSV file; all or nothing."""
    if source == "csv" and Path(path).is_dir():
        raise click.ClickException(f"{path}: a CSV import needs a file, not a folder")
    try:
        report = import_messages(db.session, source, READERS[source](path), parse_now(now),
                                 current_app.config["MESSAGE_TEXT_RETENTION_DAYS"])
    except MalformedMessages as error:
        raise click.ClickException(f"{error}; nothing was imported") from None
    except TandemError as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(report))


@messages_cli.command("purge")
@click.option("--now", help="Pretend it is this ISO date-time.")
def purge_command(now):
    """Clear kept message text older than MESSAGE_TEXT_RETENTION_DAYS."""
    cleared = purge_texts(db.session, parse_now(now),
                          current_app.config["MESSAGE_TEXT_RETENTION_DAYS"])
    click.echo(f"cleared the text of {cleared} message sample(s)")
