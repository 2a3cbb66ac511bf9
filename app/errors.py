"""Generic error pages: a clear message, never a traceback or a version number."""
from flask import Blueprint, current_app, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError

from app.extensions import db
from surveys.db import is_lock_timeout

bp = Blueprint("errors", __name__)
#: Seconds a client is asked to wait when the database is busy.
RETRY_AFTER_SECONDS = 5

MESSAGES = {
    400: "The request could not be understood. Please go back and try again.",
    403: "You do not have access to this page.",
    404: "There is nothing at this address.",
    405: "That action is not allowed here.",
    410: "This page is no longer available.",
    413: "What you sent is too large.",
    429: "Too many requests. Please wait a moment and try again.",
    500: "Something went wrong on our side. Nothing you sent was half-saved; please try again.",
    503: "Tandem is busy right now. Please try again in a moment.",
}


@bp.app_errorhandler(OperationalError)
def database_busy(error):
    """A database held by another writer past the busy timeout: ask the client to retry.

    The transaction was rolled back, so nothing is half-written; any other operational error
    is a real fault and gets the generic 500 page.
    """
    db.session.rollback()
    if not is_lock_timeout(error.orig):
        current_app.logger.error("database error: %s", type(error.orig).__name__)
        return render_template("errors/error.html", status=500, message=MESSAGES[500]), 500
    response = make_response(render_template("errors/error.html", status=503,
                                              message=MESSAGES[503]), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@bp.app_errorhandler(CSRFError)
def csrf_error(_error):
    """An expired or missing form token: ask the person to reload rather than fail silently."""
    message = "This form has expired. Please reload the page and send it again."
    return render_template("errors/error.html", status=400, message=message), 400


#: Addresses whose errors are JSON, also when no route matched (an unknown path, a bad id, a
#: wrong method): the API blueprint's own handlers only see requests that reached one of its views.
API_PREFIX = "/api/"


def _render(status):
    def handler(_error):
        if request.path.startswith(API_PREFIX):
            response = jsonify({"error": MESSAGES[status]})
            response.status_code = status
            return response
        return render_template("errors/error.html", status=status, message=MESSAGES[status]), status
    return handler


for _status in MESSAGES:
    bp.app_errorhandler(_status)(_render(_status))
