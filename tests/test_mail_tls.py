"""TLS is verified: a loopback server with a self-signed certificate is
refused, for SSL and STARTTLS alike, until its certificate is trusted
through ca_file."""

from __future__ import annotations

import dataclasses
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from builders import DEMO_AS_OF
from smtp_server import MailHandler, free_port

from flare_tui.books import Books
from flare_tui.mail_settings import MailSettings
from flare_tui.periods import resolve_preset
from flare_tui.send import email_statement

pytestmark = pytest.mark.skipif(
    shutil.which("openssl") is None, reason="needs the openssl command"
)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture(params=["ssl", "starttls"])
def tls_server(
    request: pytest.FixtureRequest, certificate: tuple[Path, Path]
) -> Iterator[tuple[str, int, MailHandler]]:
    """A loopback server speaking implicit TLS or offering STARTTLS."""
    handler = MailHandler()
    port = free_port()
    context = _server_context(certificate)
    if request.param == "ssl":
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, ssl_context=context
        )
    else:
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, tls_context=context
        )
    controller.start()
    yield request.param, port, handler
    controller.stop()


def test_self_signed_certificate_refused_until_trusted(
    demo_books: Books,
    tls_server: tuple[str, int, MailHandler],
    certificate: tuple[Path, Path],
    mail_settings: MailSettings,
) -> None:
    security, port, handler = tls_server
    settings = dataclasses.replace(
        mail_settings, security=security, port=port, timeout=5
    )
    period = resolve_preset("last-month", DEMO_AS_OF)
    statement = demo_books.statement("C0001", period, DEMO_AS_OF)

    refused = email_statement(demo_books.db, statement, settings)
    assert refused.status == "failed"
    assert "could not be verified" in refused.answer
    assert handler.received == []

    trusted = dataclasses.replace(settings, ca_file=str(certificate[0]))
    sent = email_statement(demo_books.db, statement, trusted)
    assert sent.status == "sent"
    assert len(handler.received) == 1
