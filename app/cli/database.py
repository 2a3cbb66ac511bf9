"""`flask database copy-to URL`: move an installation's data to another database (SQLite → PostgreSQL)."""
from types import SimpleNamespace

import click
from flask import current_app
from flask.cli import AppGroup
from flask_migrate import upgrade
from sqlalchemy import create_engine

from app.extensions import db
from config import ConfigError, checked_database_url
from surveys.transfer import TransferError, copy_database

database_cli = AppGroup("database", help="Moving an installation's data between databases.")


@database_cli.command("copy-to")
@click.argument("target_url")
def copy_to_command(target_url):
    """Copy every row of this installation's database into TARGET_URL, a new empty database.

    TARGET_URL is migrated to the current schema first. The copy is one transaction: if anything
    fails, the target keeps no rows. Stop the web and worker processes first so nothing changes
    while the copy runs; afterwards point DATABASE_URL at the target.
    """
    target_url = _checked_url(target_url)
    if target_url == current_app.config["SQLALCHEMY_DATABASE_URI"]:
        raise click.ClickException("the target is this installation's own database")
    _migrate(target_url)
    target = create_engine(target_url)
    try:
        copies = copy_database(db.engine, target)
    except TransferError as error:
        raise click.ClickException(str(error)) from None
    finally:
        target.dispose()
    for copy in copies:
        click.echo(f"{copy.table:<24} {copy.target_rows:>9} rows")
    click.echo(f"copied {sum(c.target_rows for c in copies)} rows in {len(copies)} tables; "
               "row counts match the source")


def _checked_url(url):
    try:
        # The same check DATABASE_URL gets at start-up, applied to the argument.
        return checked_database_url("TARGET_URL", url.strip())
    except ConfigError as error:
        raise click.BadParameter(str(error)) from None


def _migrate(target_url):
    """Run the real migrations on the target, through an app bound to it."""
    from app import create_app  # the factory imports this module; import it when needed

    settings = {key: value for key, value in current_app.config.items() if key.isupper()}
    settings.update(SQLALCHEMY_DATABASE_URI=target_url, SCHEDULER_ENABLED=False)
    target_app = create_app(SimpleNamespace(**settings))
    with target_app.app_context():
        upgrade()
        db.engine.dispose()
