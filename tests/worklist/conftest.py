"""A real SMTP server on loopback (aiosmtpd) for the reminder tests: what it accepted is counted on the
server, not in Django's in-memory outbox."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    """A loopback port nothing listens on (the system's choice, released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every message it accepts; `refuse_rcpt` (an address → an answer
    such as '550 …') or `refuse_data` (an answer such as '451 …') make it refuse instead."""

    def __init__(self, refuse_rcpt=None, refuse_data=None):
        self.refuse_rcpt = refuse_rcpt or {}
        self.refuse_data = refuse_data
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse_data:
            return self.refuse_data
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(settings):
    """Start an SMTP server on a free loopback port with a Collector (or the handler given) and point
    Django's mail at it; returns the handler. Stopped after the test."""
    controllers = []

    def start(handler=None):
        handler = handler or Collector()
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        use_smtp(settings, controller.port)
        return handler

    yield start
    for controller in controllers:
        controller.stop()
