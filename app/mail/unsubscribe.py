"""One-click unsubscribe (RFC 8058): signed links that change one preference, nothing else."""
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.urls import absolute_url

#: What a link can switch off: a manager's weekly digest, or a member's survey reminders.
KINDS = ("digest", "reminders")


def _serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_url(kind, person_id):
    """The absolute one-click link for switching off `kind` for one person."""
    token = _serializer().dumps({"k": kind, "id": person_id})
    return absolute_url("preferences.unsubscribe", token=token)


def read_unsubscribe_token(token):
    """(kind, person id) from a valid link, else None."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in KINDS or not isinstance(data.get("id"), int):
        return None
    return data["k"], data["id"]


def add_unsubscribe_headers(message, kind, person_id):
    """Mark a message as unsubscribable in one click, as RFC 8058 describes."""
    message["List-Unsubscribe"] = f"<{unsubscribe_url(kind, person_id)}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
