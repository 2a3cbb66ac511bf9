"""Message sampling for employees: the consent page reached through an e-mailed personal link."""
from app.messages.routes import bp

__all__ = ["bp"]
