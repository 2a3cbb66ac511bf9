"""The employee-facing survey: a link is exchanged for a short-lived cookie, then the form."""
from app.survey.routes import bp

__all__ = ["bp"]
