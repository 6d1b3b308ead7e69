"""A real SMTP server for the tests: aiosmtpd on 127.0.0.1, keeping what it receives.

``smtp_inbox`` starts one per test and points the settings at it (``CIVIC_SMTP_*`` and a
``CIVIC_PUBLIC_URL``), so the app's own smtplib client delivers to it over TCP. No mock:
what a test reads is the mail as the server received it.
"""

from __future__ import annotations

import email
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from civic.settings import reset_settings
from tests.browser import free_port

PUBLIC_URL = "http://127.0.0.1:8501"


class Inbox:
    """The aiosmtpd handler: every accepted mail, parsed; ``fail`` makes the server refuse mail."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.fail = False
        self._cond = threading.Condition()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: ANN001
        if self.fail:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 30) -> list[EmailMessage]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
            return list(self.messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in list(self.messages) if m["To"] == address]


def body(message: EmailMessage) -> str:
    return message.get_content()


def link(message: EmailMessage, kind: str) -> str:
    """The first link in the mail whose query names ``kind`` (confirm, unsubscribe, t)."""
    match = re.search(rf"(https?://\S+?[?&]{kind}=[0-9]+\.[A-Za-z0-9_\-]+)", body(message))
    assert match, f"no {kind} link in {body(message)!r}"
    return match.group(1)


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()
        time.sleep(0)  # let the server thread go


def smtp_env(port: int, public_url: str = PUBLIC_URL) -> dict[str, str]:
    return {"CIVIC_SMTP_HOST": "127.0.0.1", "CIVIC_SMTP_PORT": str(port), "CIVIC_SMTP_SECURITY": "none",
            "CIVIC_SMTP_FROM": "lvse@xuanchuan.example.cn", "CIVIC_PUBLIC_URL": public_url}


@pytest.fixture
def smtp_inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A running SMTP server the settings point at, for one test."""
    with smtp_server() as (inbox, port):
        for key, value in smtp_env(port).items():
            monkeypatch.setenv(key, value)
        reset_settings()
        yield inbox
    reset_settings()
