"""`flask people …`: the people directory."""
import click
from flask.cli import AppGroup

from app.cli.common import read_text_file
from app.extensions import db
from surveys.errors import ImportRowError
from surveys.people import import_people

people_cli = AppGroup("people", help="The people directory.")


def echo_import_errors(path, error):
    """Print every bad line of a failed import as path:line: reason, then fail the command."""
    for line, reason in error.problems:
        click.echo(f"{path}:{line}: {reason}", err=True)
    raise click.ClickException(f"{len(error.problems)} bad line(s); nothing was imported")


@people_cli.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False))
def import_people_command(csv_file):
    """Create or update people, teams and managers from CSV_FILE (all lines or none)."""
    try:
        report = import_people(db.session, read_text_file(csv_file))
    except ImportRowError as error:
        echo_import_errors(csv_file, error)
    click.echo(f"created {report.created}, updated {report.updated}, reactivated "
               f"{report.reactivated}, unchanged {report.unchanged}; {report.teams_created} new "
               f"team(s), {report.managers_created} new manager account(s)")
    if report.not_in_file:
        click.echo(f"{len(report.not_in_file)} active member(s) are not in the file and were left "
                   "active: " + ", ".join(report.not_in_file))
