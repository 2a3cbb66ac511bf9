"""The Tandem web application: factory, blueprints and command-line jobs."""
from pathlib import Path

from flask import Flask

from app import errors, main, security, survey
from app.cli import register_commands
from app.extensions import csrf, db, migrate
from config import Config
from surveys.db import configure_engine

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config=None):
    """Build a configured Tandem app; `config` is a Config instance (default: from the environment)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config or Config(app.instance_path))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    security.init_app(app)
    app.register_blueprint(errors.bp)
    app.register_blueprint(main.bp)
    app.register_blueprint(survey.bp)
    register_commands(app)
    return app
