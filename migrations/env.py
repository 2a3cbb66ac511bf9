"""Alembic environment for Tandem, run through Flask-Migrate (`flask db …`)."""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
# Alembic's logging setup replaces the root handlers: only use it when nothing is configured yet,
# and keep the application's own loggers alive (the default would silence them).
if not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

migrate_extension = current_app.extensions["migrate"]
engine = migrate_extension.db.engine
config.set_main_option("sqlalchemy.url",
                       engine.url.render_as_string(hide_password=False).replace("%", "%%"))
target_metadata = migrate_extension.db.metadata


def run_migrations_offline():
    """Emit the migration SQL for the configured URL without connecting."""
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def skip_empty_autogenerate(_context, _revision, directives):
    """Do not write an empty migration when the models match the schema."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_online():
    """Run the migrations on the app's engine."""
    options = dict(migrate_extension.configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    with engine.connect() as connection:
        _sqlite_foreign_keys(connection, "OFF")
        context.configure(connection=connection, target_metadata=target_metadata, **options)
        with context.begin_transaction():
            context.run_migrations()
        _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection, state):
    """Batch migrations rebuild SQLite tables; with foreign keys on, that would cascade or fail.

    The pragma only works outside a transaction, so it goes straight to the driver connection.
    """
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={state}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
