"""Admin pages: people, teams, schedules and rounds, accounts, API tokens, the mail log."""
from app.admin.routes import bp

__all__ = ["bp"]
