"""Personal consent links: signed member ids, so the page needs no account (like unsubscribe)."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.urls import absolute_url


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="message-consent")


def consent_token(member_id):
    """The signed token of one member's consent page."""
    return _serializer().dumps({"m": member_id})


def consent_url(member_id):
    """The absolute address of one member's consent page."""
    return absolute_url("messages.consent", token=consent_token(member_id))


def read_consent_token(token):
    """The member id of a valid consent token, else None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("m"), int):
        return None
    return data["m"]
