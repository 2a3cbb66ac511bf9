"""Keeping secrets out of log lines: link tokens in request paths are masked before any handler.

Survey, consent, unsubscribe and set-password links carry their token in the path, and every web
server logs request paths. The filter sits on the loggers themselves (not on handlers), so it
applies to whatever handler an operator configures.
"""
import logging
import re

#: Paths whose last segment is a secret.
TOKEN_PATH = re.compile(r"(/(?:s|consent|unsubscribe|account/set-password)/)[A-Za-z0-9._~%-]{8,}")
#: API bearer tokens, should one ever be logged by accident.
API_TOKEN = re.compile(r"tdm_[A-Za-z0-9_-]{8,}")
#: Loggers that see request paths: the development server, gunicorn, and the app's own.
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "app", "surveys")


def redact(text):
    """`text` with link tokens and API tokens replaced by a marker."""
    return API_TOKEN.sub("tdm_<redacted>", TOKEN_PATH.sub(r"\1<redacted>", text))


class RedactSecrets(logging.Filter):
    """Rewrites each record's message with secrets masked; never drops a record."""

    def filter(self, record):
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def install_redaction():
    """Attach the filter to every logger that may see a token (idempotent)."""
    for name in REQUEST_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
