"""The Tandem web application: factory, blueprints and command-line jobs."""
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import admin, api, auth, errors, main, manager, messages, preferences, security, survey
from app.cli import register_commands
from app.extensions import csrf, db, limiter, migrate
from app.logs import install_redaction
from app.manager import helpers
from app.scheduler import start_scheduler
from app.tasks import init_celery
from app.urls import DatabaseIdConverter
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
    limiter.init_app(app)  # before CSRF, so refused forms still count against the limit
    csrf.init_app(app)
    auth.init_login(app)
    with app.app_context():
        configure_engine(db.engine)
    security.init_app(app)
    install_redaction()
    helpers.register(app)
    app.url_map.converters["int"] = DatabaseIdConverter
    for blueprint in (errors.bp, main.bp, survey.bp, auth.bp, manager.bp, admin.bp, api.bp,
                      preferences.bp, messages.bp):
        app.register_blueprint(blueprint)
    register_commands(app)
    _trust_proxies(app, app.config.get("TRUSTED_PROXIES", 0))
    init_celery(app)
    if app.config["SCHEDULER_ENABLED"]:
        start_scheduler(app)
    return app


def _trust_proxies(app, hops):
    """Take the client's address, scheme and host from the headers of `hops` trusted proxies."""
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
