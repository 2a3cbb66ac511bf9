"""E-mail preferences: one-click unsubscribe links and a manager's delivery settings."""
from app.preferences.routes import bp

__all__ = ["bp"]
