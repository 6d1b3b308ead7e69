"""Reminder channels: how a confirmation or a reminder reaches a signer.

One interface, :class:`Channel` — ``send(address, message)`` raising :class:`SendFailed`.
Email over SMTP is the channel built here (settings ``smtp_*``); SMS or a WeChat
subscription message would be further channels behind the same interface, each with
its own opt-in and unsubscribe (see docs/pledges.md), and are not built.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from civic.settings import Settings, get_settings
from pledges.reminders import MailView
from pledges.tunables import tunables


class SendFailed(Exception):
    """The message was not handed over; the caller releases its claim so a later run retries."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    unsubscribe_url: str


class Channel(Protocol):
    name: str

    def send(self, address: str, message: Message) -> None: ...


class EmailChannel:
    """Plain-text mail through the configured SMTP server, one connection per mail."""

    name = "email"

    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise ValueError("smtp_host is not set")
        self.settings = settings

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.smtp_security == "ssl":
            return smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s,
                                    context=ssl.create_default_context())
        client = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_s)
        if s.smtp_security == "starttls":
            client.starttls(context=ssl.create_default_context())
        return client

    def send(self, address: str, message: Message) -> None:
        mail = EmailMessage()
        mail["From"] = self.settings.smtp_from
        mail["To"] = address
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=False)
        mail["Message-ID"] = make_msgid(domain=self.settings.smtp_from.rpartition("@")[2] or None)
        mail["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        mail["Auto-Submitted"] = "auto-generated"
        mail.set_content(message.body)
        try:
            with self._connect() as client:
                if self.settings.smtp_user:
                    client.login(self.settings.smtp_user, self.settings.smtp_password or "")
                client.send_message(mail)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(type(exc).__name__) from None  # no address in the error: logs keep counts only


def channel_from_settings(settings: Settings | None = None) -> Channel | None:
    """The email channel when email reminders are configured, else None."""
    settings = settings or get_settings()
    return EmailChannel(settings) if settings.email_reminders_enabled else None


def _url(path: str, token: str) -> str:
    return f"{get_settings().public_url.rstrip('/')}/{path}{token}"


def confirmation(view: MailView) -> Message:
    pending = tunables()["reminders"]["pending_days"]
    unsubscribe = _url("reminders?unsubscribe=", view.unsubscribe)
    body = (
        "您好！\n\n"
        f"您在“{view.campaign_title}”签署承诺时，选择了通过邮件接收打卡提醒。"
        "请打开下面的链接确认；确认之前，我们不会给您发送提醒：\n\n"
        f"{_url('reminders?confirm=', view.confirm)}\n\n"
        f"如果不是您本人操作，请忽略本邮件：未确认的邮箱会在 {pending} 天内自动删除。\n"
        f"立即删除这个邮箱、不再收到任何邮件（一键完成）：\n{unsubscribe}\n"
    )
    return Message("请确认：接收绿色承诺打卡提醒", body, unsubscribe)


def reminder(view: MailView) -> Message:
    unsubscribe = _url("reminders?unsubscribe=", view.unsubscribe)
    body = (
        "您好！\n\n"
        f"这是您在“{view.campaign_title}”的打卡提醒。这几天做到了吗？打开下面的链接打卡：\n\n"
        f"{_url('my-pledge?t=', view.check_in)}\n\n"
        f"不想再收到提醒？打开这个链接即可退订，您的邮箱会立即删除：\n{unsubscribe}\n"
    )
    return Message(f"打卡提醒：{view.campaign_title}", body, unsubscribe)
