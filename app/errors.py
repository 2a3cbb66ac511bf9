"""Generic error pages: a clear message, never a traceback or a version number."""
from flask import Blueprint, render_template
from flask_wtf.csrf import CSRFError

bp = Blueprint("errors", __name__)

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


@bp.app_errorhandler(CSRFError)
def csrf_error(_error):
    """An expired or missing form token: ask the person to reload rather than fail silently."""
    message = "This form has expired. Please reload the page and send it again."
    return render_template("errors/error.html", status=400, message=message), 400


def _render(status):
    def handler(_error):
        return render_template("errors/error.html", status=status, message=MESSAGES[status]), status
    return handler


for _status in MESSAGES:
    bp.app_errorhandler(_status)(_render(_status))
