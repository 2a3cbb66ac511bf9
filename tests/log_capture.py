"""Captures every log record of the test run so the last check can sweep them for secrets."""
import logging

#: Formatted messages of every record logged during the run.
CAPTURED = []
#: Secrets the tests created (link tokens, API tokens, passwords, message texts) to look for.
SENSITIVE = set()


class CaptureAll(logging.Handler):
    """Keeps each record's final message (after the loggers' own filters ran)."""

    def emit(self, record):
        CAPTURED.append(record.getMessage())


def remember(secret):
    """Register a secret a test created; returns it unchanged."""
    SENSITIVE.add(secret)
    return secret


def leaked_secrets():
    """(secret, message) pairs where a registered secret appears in a captured record."""
    return [(secret, message) for message in CAPTURED for secret in SENSITIVE
            if secret and secret in message]
