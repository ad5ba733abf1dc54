"""SMTP and network errors put into words a bookkeeper understands."""

from __future__ import annotations

import smtplib
import socket
import ssl

from .errors import FlareError
from .mail_settings import MailSettings


class SendFailure(FlareError):
    """The mail server did not take the message; the text says why in words.

    `connection` is True when the server could not be reached or logged in
    to at all (so every other message would fail the same way).
    """

    title = "The e-mail was not sent"

    def __init__(self, message: str, *, connection: bool = False) -> None:
        super().__init__(message)
        self.connection = connection


def explain(error: BaseException, settings: MailSettings) -> SendFailure:
    """An SMTP or network error in words a bookkeeper understands."""
    where = f"{settings.host}:{settings.effective_port}"
    if isinstance(error, SendFailure):
        return error
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return SendFailure(
            f"the mail server refused the login for user {settings.user!r}"
            f" ({_answer(error)}): check the user name and password",
            connection=True,
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return SendFailure(
            f"the mail server at {where} does not support this: {error}; check"
            " the security setting (none, starttls, ssl)",
            connection=True,
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        (who, (code, text)), *_ = error.recipients.items()
        return SendFailure(
            f"the mail server refused the recipient {who} ({code} {smtp_text(text)})"
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return SendFailure(
            f"the mail server refused the sender address {error.sender}"
            f" ({_answer(error)})"
        )
    if isinstance(error, smtplib.SMTPDataError):
        return SendFailure(f"the mail server rejected the message ({_answer(error)})")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return SendFailure(
            f"the connection to the mail server at {where} was lost before it"
            " accepted the message; nothing was delivered",
            connection=True,
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return SendFailure(
            f"the mail server's certificate at {where} could not be verified"
            f" ({error.verify_message}); nothing was sent",
            connection=True,
        )
    if isinstance(error, ssl.SSLError):
        return SendFailure(
            f"a secure connection to {where} failed ({error.reason}); check the"
            " security setting and port",
            connection=True,
        )
    if isinstance(error, TimeoutError | socket.timeout):
        return SendFailure(
            f"the mail server at {where} did not answer within"
            f" {settings.timeout:g} seconds",
            connection=True,
        )
    if isinstance(error, ConnectionRefusedError):
        return SendFailure(
            f"could not reach the mail server at {where}: the connection was"
            " refused (is it running, and are the host and port right?)",
            connection=True,
        )
    if isinstance(error, socket.gaierror):
        return SendFailure(
            f"the mail server name {settings.host!r} could not be found",
            connection=True,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return SendFailure(f"the mail server answered {_answer(error)}")
    if isinstance(error, OSError):
        return SendFailure(
            f"network error talking to {where}: {error.strerror or error}",
            connection=True,
        )
    return SendFailure(f"unexpected error while sending: {error}")


def smtp_text(value: bytes | str) -> str:
    """A server's answer as one line of text."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return " ".join(text.split())


def _answer(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {smtp_text(error.smtp_error)}"
