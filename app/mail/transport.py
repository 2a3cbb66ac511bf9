"""Where e-mail goes: an outbox folder of .eml files (the offline default) or an SMTP server."""
import smtplib
import socket
import uuid
from pathlib import Path

from surveys.outgoing import PermanentMailError, TransientMailError

#: Seconds to wait for the SMTP server before treating it as a transient failure.
SMTP_TIMEOUT = 15


class OutboxTransport:
    """Writes each message as one .eml file; used when no MAIL_SERVER is configured."""

    def __init__(self, directory):
        self.directory = Path(directory)

    def send(self, message):
        """Write the message atomically (a reader never sees half a file)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.eml"
        partial = self.directory / f".{name}.partial"
        partial.write_bytes(bytes(message))
        partial.rename(self.directory / name)


class SmtpTransport:
    """Sends over SMTP, translating failures into transient or permanent ones."""

    def __init__(self, host, port=25, use_tls=False, username=None, password=None):
        self.host, self.port, self.use_tls = host, port, use_tls
        self.username, self.password = username, password

    def send(self, message):
        """Deliver one message; raise TransientMailError or PermanentMailError on failure."""
        try:
            with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT) as smtp:
                self._start(smtp)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise _by_code(min(codes), "recipient refused") from None
        except smtplib.SMTPResponseException as error:
            raise _by_code(error.smtp_code, _reason(error.smtp_error)) from None
        except (smtplib.SMTPServerDisconnected, ConnectionError, socket.timeout, OSError) as error:
            raise TransientMailError(f"cannot reach {self.host}:{self.port}: {error}") from None

    def _start(self, smtp):
        if self.use_tls:
            smtp.starttls()
        if self.username:
            smtp.login(self.username, self.password or "")


def _reason(raw):
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _by_code(code, reason):
    error_class = TransientMailError if 400 <= code < 500 else PermanentMailError
    return error_class(f"{code} {reason}")


def transport_from_config(config):
    """SMTP when MAIL_SERVER is set, otherwise the outbox folder."""
    if config.get("MAIL_SERVER"):
        return SmtpTransport(config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_TLS"],
                             config.get("MAIL_USERNAME"), config.get("MAIL_PASSWORD"))
    return OutboxTransport(config["MAIL_OUTBOX_DIR"])
