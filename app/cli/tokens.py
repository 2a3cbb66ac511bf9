"""`flask tokens …`: API tokens from the command line (the admin page does the same)."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db
from surveys.api_tokens import SCOPES, api_tokens, create_api_token, revoke_api_token
from surveys.errors import TandemError
from surveys.models import ApiToken, Manager

tokens_cli = AppGroup("tokens", help="API tokens.")


@tokens_cli.command("create")
@click.argument("name")
@click.option("--scope", type=click.Choice(SCOPES), default="read", show_default=True)
@click.option("--manager", "email", required=True, help="E-mail of the account the token acts as.")
def create_command(name, scope, email):
    """Create a token and print it (this once; only its hash is kept)."""
    manager = db.session.scalar(select(Manager).where(Manager.email == email.strip().lower()))
    if manager is None or not manager.active:
        raise click.ClickException(f"no active account {email}")
    try:
        row, token = create_api_token(db.session, manager, name, scope)
    except TandemError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"token {row.id} ({scope}) for {manager.email}:\n{token}")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id):
    """Stop a token working, at once."""
    row = db.session.get(ApiToken, token_id)
    if row is None:
        raise click.ClickException(f"no token {token_id}")
    revoke_api_token(db.session, row)
    click.echo(f"token {token_id} revoked")


@tokens_cli.command("list")
def list_command():
    """Every token: id, name, scope, owner and status (never the token itself)."""
    for row in api_tokens(db.session):
        state = "revoked" if row.revoked else "active"
        click.echo(f"{row.id}\t{row.name}\t{row.scope}\t{row.manager.email}\t{state}")
