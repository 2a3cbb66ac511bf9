"""A real SMTP server on localhost (aiosmtpd) for mail tests, with scriptable answers."""
import socket
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class RecordingHandler:
    """Accepts messages and keeps them; `script` holds SMTP replies to give first (e.g. 421)."""

    def __init__(self):
        self.messages = []
        self.script = []

    async def handle_DATA(self, server, session, envelope):
        if self.script:
            return self.script.pop(0)
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


def free_port():
    """A TCP port on loopback nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """Starts aiosmtpd on a free loopback port; use as a context manager."""

    def __init__(self, handler=None):
        self.handler = handler or RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def messages(self):
        return self.handler.messages
