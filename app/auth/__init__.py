"""Signing managers and admins in and out."""
from app.auth.routes import bp
from app.auth.users import init_login

__all__ = ["bp", "init_login"]
