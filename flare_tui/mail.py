"""E-mailing a statement: a checked plain-text message with the PDF attached,
sent through a yagmail connection that never prompts and verifies TLS.

yagmail opens, secures and logs in the connection. The message itself is
built here with the standard `email` package: yagmail's own `send()` turns
every text into unescaped HTML, appends `<br>` to the plain part, derives
the Message-ID from from+to+subject and retries with 18 s of sleeps. The
SMTP conversation (MAIL, RCPT, DATA) then runs on yagmail's connection so
the server's exact answer can be recorded.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any

from .errors import FlareError
from .mail_errors import SendFailure, explain, smtp_text
from .mail_settings import (
    KEYRING_SERVICE,
    MailSettings,
    MailSettingsError,
    config_path,
    exports_dir,
    fill_template,
)
from .money import money
from .statement import Statement

__all__ = [
    "HeaderError",
    "MailSender",
    "OutgoingMail",
    "SendFailure",
    "check_address",
    "check_header",
    "compose",
    "config_path",
    "exports_dir",
]

# Line breaks of every kind, NUL and other controls: any of them in a header
# could end it and start another one (Bcc:, a second body...).
_HEADER_BAD = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
# One plain address: no display name, no list, no comments or quoting.
_ADDRESS = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$"
)


class HeaderError(FlareError):
    """A name, address or subject that would break the e-mail's headers."""

    title = "Unsafe e-mail header"


def check_header(value: str, what: str) -> str:
    """The value if it is safe in a header, else HeaderError naming `what`."""
    if _HEADER_BAD.search(value):
        raise HeaderError(
            f"the {what} contains a line break or control character, which could"
            f" add hidden headers to the e-mail: {value!r}"
        )
    return value


def check_address(address: str, what: str = "recipient address") -> str:
    """One plain e-mail address (name@example.com), else HeaderError."""
    check_header(address, what)
    if not _ADDRESS.match(address.strip()):
        raise HeaderError(
            f"the {what} {address!r} is not a single plain e-mail address"
            " (like name@example.com)"
        )
    return address.strip()


@dataclass(frozen=True)
class OutgoingMail:
    """One message ready to send; the same fields give the same bytes again."""

    sender: str
    sender_name: str
    recipient: str
    subject: str
    body: str
    attachment_name: str
    attachment: bytes
    message_id: str
    date_header: str

    def check(self) -> None:
        """HeaderError unless every header-bound value is safe."""
        check_address(self.sender, "sender address")
        check_address(self.recipient)
        check_header(self.sender_name, "sender name")
        check_header(self.subject, "subject")
        check_header(self.attachment_name, "attachment name")
        check_header(self.message_id, "Message-ID")
        check_header(self.date_header, "date")

    def to_bytes(self) -> bytes:
        """The RFC 5322 message with CRLF line ends, as it goes on the wire."""
        self.check()
        # The classic MIME classes: about 5x faster than EmailMessage's header
        # registry, which matters in a batch. Every header value has passed
        # check() above; non-ASCII text is RFC 2047-encoded.
        msg = MIMEMultipart("mixed")
        msg["From"] = formataddr((self.sender_name, self.sender), charset="utf-8")
        msg["To"] = self.recipient
        msg["Subject"] = Header(self.subject, "utf-8").encode()
        msg["Date"] = self.date_header
        msg["Message-ID"] = self.message_id
        msg.attach(MIMEText(self.body, "plain", "utf-8"))
        part = MIMEApplication(self.attachment, "pdf")
        name = self.attachment_name
        # RFC 2231 only when needed: some clients show a plain name better.
        filename = name if name.isascii() else ("utf-8", "", name)
        part.add_header("Content-Disposition", "attachment", filename=filename)
        msg.attach(part)
        return msg.as_bytes(policy=SMTP_POLICY)


def template_values(statement: Statement) -> dict[str, str]:
    """The placeholders of the subject and body for a statement."""
    end = statement.end.isoformat()
    return {
        "customer": statement.customer.name,
        "period": f"{statement.period.start.isoformat()} to {end}",
        "closing_balance": money(
            statement.closing_balance, statement.business.currency_symbol
        ),
        "business": statement.business.business_name,
    }


def new_message_id(sender: str) -> str:
    """A unique Message-ID in the sender's domain (no DNS lookup)."""
    return make_msgid("flare", domain=sender.partition("@")[2] or "localhost")


def compose(
    statement: Statement,
    pdf: bytes,
    file_name: str,
    recipient: str,
    settings: MailSettings,
    *,
    message_id: str | None = None,
    date_header: str | None = None,
) -> OutgoingMail:
    """A checked message for a statement: every header refused if unsafe."""
    settings.check()
    sender = check_address(settings.from_address, "sender address (from_address)")
    name = check_header(settings.from_name or statement.business.business_name, "name")
    values = template_values(statement)
    subject = fill_template(settings.subject_template, values, "subject template")
    check_header(subject, "subject")
    body = fill_template(settings.body_template, values, "body template")
    if date_header is None:
        date_header = format_datetime(datetime.now().astimezone())
    mail = OutgoingMail(
        sender=sender,
        sender_name=name,
        recipient=check_address(recipient),
        subject=subject,
        body=body,
        attachment_name=check_header(file_name, "attachment name"),
        attachment=pdf,
        message_id=message_id or new_message_id(sender),
        date_header=date_header,
    )
    mail.check()  # every header check, before anything is queued
    return mail


def smtp_password(settings: MailSettings, env: Mapping[str, str] | None = None) -> str:
    """The SMTP password from FLARE_SMTP_PASSWORD or the system keyring.

    Never prompts: a missing password is a MailSettingsError that says where
    to put it.
    """
    env = os.environ if env is None else env
    if env.get("FLARE_SMTP_PASSWORD"):
        return env["FLARE_SMTP_PASSWORD"]
    try:
        import keyring

        stored = keyring.get_password(KEYRING_SERVICE, settings.user)
    except Exception:  # noqa: BLE001 - no keyring backend is not an error here
        stored = None
    if stored:
        return stored
    raise MailSettingsError(
        f"no password for SMTP user {settings.user!r}: set FLARE_SMTP_PASSWORD or"
        f" store it with `keyring set {KEYRING_SERVICE} {settings.user}`"
    )


def tls_context(settings: MailSettings) -> ssl.SSLContext:
    """A verifying TLS context (system CAs, plus ca_file if set)."""
    context = ssl.create_default_context()
    if settings.ca_file:
        try:
            context.load_verify_locations(cafile=settings.ca_file)
        except (OSError, ssl.SSLError) as error:
            raise MailSettingsError(
                f"cannot load ca_file {settings.ca_file}: {error}"
            ) from None
    return context


class MailSender:
    """One SMTP session (opened lazily, reused for a batch, reopened if lost).

    Use as a context manager. `send` returns the server's answer to DATA or
    raises SendFailure.
    """

    def __init__(
        self, settings: MailSettings, env: Mapping[str, str] | None = None
    ) -> None:
        self.settings = settings.check()
        self.password = smtp_password(settings, env) if settings.user else ""
        self._client: Any = None
        #: True when the last send could not even open a session (server
        #: down, TLS or login refused): a batch stops rather than fail on.
        self.open_failed = False

    def __enter__(self) -> MailSender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _open(self) -> Any:
        import yagmail  # lazy: only when a message goes out

        settings = self.settings
        context = tls_context(settings)
        extra: dict[str, Any] = {"timeout": settings.timeout}
        if settings.security == "ssl":
            extra["context"] = context  # reaches smtplib.SMTP_SSL
        # A {user: alias} dict stops yagmail appending "@gmail.com" to a bare
        # user name; the password is always given, so it never prompts.
        login = settings.user or settings.from_address
        client = yagmail.SMTP(
            user={login: login},
            password=self.password or None,
            host=settings.host,
            port=settings.effective_port,
            smtp_ssl=settings.security == "ssl",
            smtp_starttls=(
                {"context": context} if settings.security == "starttls" else False
            ),
            smtp_skip_login=not settings.user,
            soft_email_validation=False,
            **extra,
        )
        client.set_logging(None)
        try:
            client.login()
        except BaseException:
            _quietly_close(client)
            raise
        return client

    def send(self, mail: OutgoingMail) -> str:
        """Send one message; the server's answer ("250 ...") or SendFailure."""
        data = mail.to_bytes()
        try:
            if self._client is None:
                self.open_failed = True
                self._client = self._open()
                self.open_failed = False
            smtp: smtplib.SMTP = self._client.smtp
            smtp.ehlo_or_helo_if_needed()
            code, text = smtp.mail(mail.sender)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, text, mail.sender)
            code, text = smtp.rcpt(mail.recipient)
            if code not in (250, 251):
                smtp.rset()
                raise smtplib.SMTPRecipientsRefused({mail.recipient: (code, text)})
            code, text = smtp.data(data)
            if code != 250:
                raise smtplib.SMTPDataError(code, text)
            return f"{code} {smtp_text(text)}"
        except Exception as error:
            failure = explain(error, self.settings)
            if failure.connection or isinstance(error, OSError):
                # The session is unusable: the next message opens a new one.
                self.close()
            raise failure from None

    def close(self) -> None:
        """Say goodbye to the server, ignoring a connection already gone."""
        if self._client is not None:
            _quietly_close(self._client)
            self._client = None


def _quietly_close(client: Any) -> None:
    # Closing a broken session may fail in any way; it is closed either way.
    with contextlib.suppress(Exception):
        client.close()
    client.is_closed = True
