"""Admin pages: people, teams, schedules and rounds, accounts, API tokens, message sampling, mail log."""
from app.admin import messages  # noqa: F401  (adds the message-sampling pages to the blueprint)
from app.admin.routes import bp

__all__ = ["bp"]
