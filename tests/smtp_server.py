"""A real SMTP server for the mail tests: aiosmtpd on 127.0.0.1, a free port.

The handler keeps every accepted message and can be told to misbehave:
refuse a recipient, refuse logins, or drop the connection in the middle of
DATA. Import the fixtures into a conftest (`from smtp_server import *`).
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import os
import socket
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from flare_tui.mail_settings import MailSettings

SMTP_USER = "bookkeeper"
SMTP_PASSWORD = "s3cret pass"


@dataclass
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        """The message parsed with the modern e-mail API."""
        return email.message_from_bytes(  # type: ignore[return-value]
            self.data, policy=email.policy.default
        )


@dataclass
class MailHandler:
    """aiosmtpd handler: stores messages, misbehaves on request."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    drop_in_data: bool = False

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server, session, envelope, address, options
    ):  # type: ignore[no-untyped-def]
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        if self.drop_in_data:
            # The message has arrived but the server dies before saying 250.
            server.transport.close()
            return "421 closing"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return f"250 OK queued as Q{len(self.received):04d}"


class Authenticator:
    """Accepts one user name and password; `refuse_all` turns logins off."""

    def __init__(self) -> None:
        self.refuse_all = False
        self.logins = 0

    def __call__(self, server, session, envelope, mechanism, auth_data):  # noqa: ANN001
        ok = (
            not self.refuse_all
            and isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == SMTP_USER
            and auth_data.password.decode() == SMTP_PASSWORD
        )
        if ok:
            self.logins += 1
        # handled=False: aiosmtpd sends the 535 answer itself on failure.
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpServer:
    """A started server, its handler and authenticator, and how to stop it."""

    controller: Controller
    handler: MailHandler
    auth: Authenticator
    port: int
    require_auth: bool = False

    @property
    def received(self) -> list[Received]:
        """Messages accepted so far."""
        return self.handler.received

    def stop(self) -> None:
        """Stop listening (the port then refuses connections)."""
        self.controller.stop()

    def start(self) -> None:
        """Listen again on the same port, with the same handler and log."""
        self.controller = _controller(
            self.handler, self.auth, self.port, self.require_auth
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            self.controller.start()


def _controller(
    handler: MailHandler, auth: Authenticator, port: int, require_auth: bool
) -> Controller:
    with warnings.catch_warnings():
        # AUTH without TLS is what we want on loopback in tests.
        warnings.simplefilter("ignore", UserWarning)
        return Controller(
            handler,
            hostname="127.0.0.1",
            port=port,
            authenticator=auth,
            auth_required=require_auth,
            auth_require_tls=False,
            ready_timeout=5,
        )


def start_server(port: int | None = None, *, require_auth: bool = False) -> SmtpServer:
    """Start aiosmtpd on 127.0.0.1 (login optional unless require_auth)."""
    handler = MailHandler()
    auth = Authenticator()
    port = port or free_port()
    controller = _controller(handler, auth, port, require_auth)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        controller.start()
    return SmtpServer(controller, handler, auth, port, require_auth)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running loopback SMTP server; a login is checked when one is made."""
    server = start_server()
    yield server
    with contextlib.suppress(AssertionError, RuntimeError):
        server.stop()  # the test may have stopped it already


SENDER = "accounts@northwind.example"


@pytest.fixture
def mail_env(tmp_path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """No real settings file, keyring or exports folder: all in tmp_path."""
    for var in list(os.environ):
        if var.startswith("FLARE_SMTP_"):
            monkeypatch.delenv(var)
    monkeypatch.setenv("FLARE_MAIL_CONFIG", str(tmp_path / "mail.toml"))
    monkeypatch.setenv("FLARE_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return tmp_path


@pytest.fixture
def mail_settings(smtp_server: SmtpServer, mail_env) -> MailSettings:  # noqa: ANN001
    """Settings that send to the test server without a login."""
    return MailSettings(
        host="127.0.0.1",
        port=smtp_server.port,
        security="none",
        from_address=SENDER,
        from_name="Northwind Accounts",
        timeout=5,
    )
