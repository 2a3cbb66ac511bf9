"""The JSON API (`/api/v1/…`): the same data and the same access rules as the pages."""
from app.api import messages  # noqa: F401  (adds POST /messages to the blueprint)
from app.api.routes import bp

__all__ = ["bp"]
