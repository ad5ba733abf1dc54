"""E-mailing a statement to a real SMTP server on 127.0.0.1: what arrives,
logins, every kind of failure recorded and then retried exactly once, and
header tricks refused before anything is queued."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from builders import DEMO_AS_OF
from smtp_server import SENDER, SMTP_PASSWORD, SMTP_USER, SmtpServer

from flare_tui.books import Books
from flare_tui.mail import HeaderError, MailSender
from flare_tui.mail_settings import (
    MailSettings,
    MailSettingsError,
    load_mail_settings,
    save_mail_settings,
)
from flare_tui.money import money
from flare_tui.outbox import Outbox
from flare_tui.periods import custom_period, resolve_preset
from flare_tui.send import email_statement, retry


def _emerald(books: Books):  # noqa: ANN202
    period = resolve_preset("this-fiscal-year", DEMO_AS_OF)
    return books.statement("C0001", period, DEMO_AS_OF)


def test_message_arrives_with_headers_body_and_exact_pdf(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    statement = _emerald(demo_books)
    entry = email_statement(demo_books.db, statement, mail_settings)

    assert entry.status == "sent"
    assert entry.answer.startswith("250")
    assert len(smtp_server.received) == 1
    got = smtp_server.received[0]
    msg = got.message
    assert got.rcpt_tos == [statement.customer.email]
    assert msg["To"] == statement.customer.email
    assert msg["From"] == f"Northwind Accounts <{SENDER}>"
    assert msg["Subject"] == (
        f"Statement of account {statement.period.start.isoformat()} to"
        f" {statement.end.isoformat()} — {statement.business.business_name}"
    )
    assert msg["Message-ID"] == entry.message_id
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert f"Dear {statement.customer.name}," in body
    assert money(statement.closing_balance) in body
    assert msg.get_body(preferencelist=("html",)) is None  # plain text only
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == entry.pdf_name
    pdf = attachment.get_content()
    assert pdf == Outbox(demo_books.db).pdf(entry.id)
    assert pdf.startswith(b"%PDF")


def test_each_send_has_its_own_message_id(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    statement = _emerald(demo_books)
    first = email_statement(demo_books.db, statement, mail_settings)
    second = email_statement(demo_books.db, statement, mail_settings)
    ids = [m.message["Message-ID"] for m in smtp_server.received]
    assert ids == [first.message_id, second.message_id]
    assert ids[0] != ids[1]


def test_login_with_password_from_environment(
    demo_books: Books,
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLARE_SMTP_PASSWORD", SMTP_PASSWORD)
    settings = dataclasses.replace(mail_settings, user=SMTP_USER)
    entry = email_statement(demo_books.db, _emerald(demo_books), settings)
    assert entry.status == "sent"
    assert smtp_server.auth.logins == 1


def test_missing_password_is_an_error_not_a_prompt(
    mail_settings: MailSettings,
) -> None:
    # No FLARE_SMTP_PASSWORD and a keyring that has nothing: never prompt.
    settings = dataclasses.replace(mail_settings, user=SMTP_USER)
    with pytest.raises(MailSettingsError, match="FLARE_SMTP_PASSWORD"):
        MailSender(settings)


def _fail_then_retry(
    books: Books,
    server: SmtpServer,
    settings: MailSettings,
    break_it: Callable[[], None],
    fix_it: Callable[[], None],
    words: str,
) -> None:
    break_it()
    entry = email_statement(books.db, _emerald(books), settings)
    assert entry.status == "failed"
    assert words in entry.answer
    assert server.received == []
    assert Outbox(books.db).get(entry.id).status == "failed"

    fix_it()
    report = retry(books.db, settings)
    assert [e.status for e in report.entries] == ["sent"]
    assert len(server.received) == 1
    assert server.received[0].message["Message-ID"] == entry.message_id
    # A second retry finds nothing to send: exactly one message delivered.
    again = retry(books.db, settings)
    assert again.entries == () and len(server.received) == 1


def test_server_down_then_retry(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    _fail_then_retry(
        demo_books,
        smtp_server,
        mail_settings,
        smtp_server.stop,
        smtp_server.start,
        "connection was refused",
    )


def test_login_refused_then_retry(
    demo_books: Books,
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLARE_SMTP_PASSWORD", SMTP_PASSWORD)
    settings = dataclasses.replace(mail_settings, user=SMTP_USER)

    def refuse() -> None:
        smtp_server.auth.refuse_all = True

    def allow() -> None:
        smtp_server.auth.refuse_all = False

    _fail_then_retry(
        demo_books, smtp_server, settings, refuse, allow, "refused the login"
    )


def test_recipient_refused_then_retry(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    address = _emerald(demo_books).customer.email
    _fail_then_retry(
        demo_books,
        smtp_server,
        mail_settings,
        lambda: smtp_server.handler.refuse.add(address),
        lambda: smtp_server.handler.refuse.clear(),
        f"refused the recipient {address} (550",
    )


def test_connection_dropped_mid_data_then_retry(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    def drop() -> None:
        smtp_server.handler.drop_in_data = True

    def mend() -> None:
        smtp_server.handler.drop_in_data = False

    _fail_then_retry(demo_books, smtp_server, mail_settings, drop, mend, "connection")


def test_ssl_to_a_plain_server_fails_in_words_within_the_timeout(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    settings = dataclasses.replace(mail_settings, security="ssl", timeout=3)
    entry = email_statement(demo_books.db, _emerald(demo_books), settings)
    assert entry.status == "failed"
    assert "secure connection" in entry.answer or "did not answer" in entry.answer
    assert smtp_server.received == []


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("recipient", "x@example.com\r\nBcc: victim@example.com", "recipient"),
        ("recipient", "Name <x@example.com>, y@example.com", "recipient"),
        ("from_name", "Accounts\nBcc: victim@example.com", "name"),
        ("from_address", "a@example.com\nX-Evil: 1", "sender"),
        ("subject_template", "Statement\r\nBcc: victim@example.com", "subject"),
    ],
)
def test_header_injection_is_refused_before_anything_is_queued(
    demo_books: Books,
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    field: str,
    value: str,
    what: str,
) -> None:
    statement = _emerald(demo_books)
    recipient = None
    settings = mail_settings
    if field == "recipient":
        recipient = value
    elif field == "subject_template":
        # Template text itself is checked at load; a template is trusted but
        # the subject it makes is still checked before sending.
        settings = dataclasses.replace(mail_settings, subject_template=value)
    else:
        settings = dataclasses.replace(mail_settings, **{field: value})
    with pytest.raises(HeaderError, match=what):
        email_statement(demo_books.db, statement, settings, recipient=recipient)
    assert Outbox(demo_books.db).entries() == ()
    assert smtp_server.received == []


def test_customer_name_with_line_break_cannot_reach_the_subject(
    make_books: Callable[..., Books],
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
) -> None:
    books = make_books(
        [("C1", "Evil\r\nBcc: victim@example.com", "c1@example.com")],
        [("I1", "C1", "2026-01-05", "2026-02-05", "10.00")],
    )
    settings = dataclasses.replace(mail_settings, subject_template="{customer}")
    statement = books.statement(
        "C1", custom_period("2026-01-01", "2026-12-31"), date(2026, 12, 3)
    )
    with pytest.raises(HeaderError, match="subject"):
        email_statement(books.db, statement, settings)
    assert smtp_server.received == []


def test_settings_file_env_and_refusals(
    mail_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = mail_env / "mail.toml"
    saved = MailSettings(
        host="mail.example.com", security="ssl", user="me", from_address=SENDER
    )
    save_mail_settings(saved, path)
    lines = path.read_text().splitlines()
    assert not [line for line in lines if line.startswith("password")]
    assert load_mail_settings(path) == saved

    monkeypatch.setenv("FLARE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FLARE_SMTP_PORT", "2525")
    monkeypatch.setenv("FLARE_SMTP_SECURITY", "STARTTLS")
    loaded = load_mail_settings(path)
    assert (loaded.host, loaded.effective_port, loaded.security) == (
        "127.0.0.1",
        2525,
        "starttls",
    )

    monkeypatch.setenv("FLARE_SMTP_SECURITY", "tls-please")
    with pytest.raises(MailSettingsError, match="security"):
        load_mail_settings(path)
    monkeypatch.delenv("FLARE_SMTP_SECURITY")

    path.write_text(path.read_text() + 'password = "hunter2"\n')
    with pytest.raises(MailSettingsError, match="password"):
        load_mail_settings(path)

    path.write_text('[smtp]\nsubject_template = "Hi {customer.__class__}"\n')
    with pytest.raises(MailSettingsError, match="placeholder"):
        load_mail_settings(path)
