"""`flask signals …`, `flask panel …`, `flask responses …`: the panel and what is detected in it."""
import click
from flask import current_app
from flask.cli import AppGroup

from analysis.signals.panel import write_panel
from app.cli.common import parse_now, read_text_file
from app.cli.people import echo_import_errors
from app.extensions import db
from app.scoring import score_comment
from surveys.db import utcnow
from surveys.errors import ImportRowError
from surveys.messages.records import iso_week
from surveys.history import import_history
from surveys.rollup import panel_rows
from surveys.signals import detect_and_store

signals_cli = AppGroup("signals", help="Tension signals.")
panel_cli = AppGroup("panel", help="The team-week panel.")
responses_cli = AppGroup("responses", help="Anonymous survey answers.")


@signals_cli.command("detect")
@click.option("--now", help="Record the run as of this ISO date-time.")
def detect_command(now):
    """Roll up the panel, detect signals over its history and update the stored ones."""
    config = current_app.config
    report = detect_and_store(db.session, parse_now(now), config["ANONYMITY_MIN_GROUP"],
                              config["MESSAGE_MIN_CONTRIBUTORS"])
    click.echo(str(report))


@panel_cli.command("export")
@click.argument("csv_file", type=click.Path(dir_okay=False, writable=True))
def export_panel_command(csv_file):
    """Write the team-week panel (only cells at or above the group minimum) to CSV_FILE."""
    config = current_app.config
    rows = panel_rows(db.session, config["ANONYMITY_MIN_GROUP"], config["MESSAGE_MIN_CONTRIBUTORS"],
                      iso_week(utcnow()))
    write_panel(rows, csv_file)
    click.echo(f"wrote {len(rows)} row(s) to {csv_file}")


@responses_cli.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False))
def import_responses_command(csv_file):
    """Import anonymous answers (team, week, item_id, value[, comment]) from CSV_FILE."""
    try:
        count = import_history(db.session, read_text_file(csv_file), score_comment)
    except ImportRowError as error:
        echo_import_errors(csv_file, error)
    click.echo(f"imported {count} answer(s)")
