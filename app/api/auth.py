"""Bearer-token authentication for the API; errors are JSON with a reason."""
from functools import wraps

from flask import g, jsonify, request

from app.extensions import db
from surveys.api_tokens import manager_for_api_token


def api_error(status, reason):
    """A JSON error response."""
    response = jsonify({"error": reason})
    response.status_code = status
    return response


def bearer_token():
    """The token of an `Authorization: Bearer …` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def token_required(scope):
    """Require a valid token of `scope`; the token's manager is put in `g.api_manager`."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            manager = manager_for_api_token(db.session, bearer_token(), scope)
            if manager is None:
                return api_error(401, f"a valid API token with scope '{scope}' is required")
            g.api_manager = manager
            return view(*args, **kwargs)
        return wrapped
    return decorator
