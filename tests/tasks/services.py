"""Task-queue test helpers beyond the shared services of `tests.services`: a slow SMTP relay."""
import asyncio
from email import message_from_bytes
from email.policy import default as default_policy

from tests.smtp_server import RecordingHandler


class SlowRelay(RecordingHandler):
    """An SMTP server that takes each message, then waits `delay` seconds before saying 250.

    Like a relay that has queued a message but is slow to answer: a sender killed in that
    window has handed the message over without ever learning so.
    """

    def __init__(self, delay):
        super().__init__()
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"
