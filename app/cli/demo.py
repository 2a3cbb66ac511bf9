"""`flask demo`: the demo organisation."""
import click
from flask import current_app

from app.cli.common import parse_now
from app.demo import DemoError, load_demo
from app.extensions import db
from app.mail.transport import transport_from_config


@click.command("demo")
@click.option("--now", help="Build the demo as if it were this ISO date-time.")
def demo_command(now):
    """Load the demo organisation with a quarter of survey history (into an empty database)."""
    try:
        summary = load_demo(db.session, parse_now(now), transport_from_config(current_app.config),
                            current_app.config["BASE_URL"])
    except DemoError as error:
        raise click.ClickException(f"{error} (run `make clean` to start again)") from None
    click.echo(summary)
