"""Command-line jobs (`flask --app app …`); each command is a thin shell around a service."""
from app.cli.analysis import panel_cli, responses_cli, signals_cli
from app.cli.database import database_cli
from app.cli.demo import demo_command
from app.cli.jobs import digests_cli, jobs_cli
from app.cli.messages import messages_cli
from app.cli.people import people_cli
from app.cli.surveys import surveys_cli
from app.cli.tokens import tokens_cli


def register_commands(app):
    """Attach every command group to `app`."""
    for command in (people_cli, surveys_cli, signals_cli, panel_cli, responses_cli, jobs_cli,
                    digests_cli, demo_command, messages_cli, tokens_cli, database_cli):
        app.cli.add_command(command)
