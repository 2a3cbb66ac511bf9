"""The manager view: overview, team pages, the marketing–sales boundary and signals."""
from app.manager.routes import bp

__all__ = ["bp"]
