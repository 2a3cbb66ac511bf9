"""Signed, expiring, single-use links for setting a password."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from app.extensions import db
from surveys.models import Manager

#: A set-password link works for a week.
SET_PASSWORD_MAX_AGE = 7 * 24 * 3600


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="set-password")


def set_password_token(manager):
    """A token naming the manager and their session version: setting a password spends it."""
    return _serializer().dumps({"m": manager.id, "v": manager.session_version})


def manager_for_token(token):
    """The manager a valid, unspent token belongs to, else None."""
    try:
        data = _serializer().loads(token, max_age=SET_PASSWORD_MAX_AGE)
    except BadSignature:
        return None
    manager = db.session.get(Manager, data.get("m")) if isinstance(data, dict) else None
    if manager is None or not manager.active or manager.session_version != data.get("v"):
        return None
    return manager
