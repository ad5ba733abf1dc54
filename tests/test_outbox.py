"""The sent log: schema upgrade step 2, claims that cannot double-send, and
what happens after a crash between the server's 250 and the log update."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from builders import DEMO_AS_OF
from smtp_server import SmtpServer

from flare_tui.books import Books
from flare_tui.db import SCHEMA_VERSION
from flare_tui.mail_settings import MailSettings
from flare_tui.outbox import Outbox
from flare_tui.periods import resolve_preset
from flare_tui.send import deliver, queue_statement, retry, stored_mail


def _queued(books: Books, settings: MailSettings) -> int:
    period = resolve_preset("last-month", DEMO_AS_OF)
    statement = books.statement("C0001", period, DEMO_AS_OF)
    return queue_statement(books.db, statement, settings).id


def test_new_books_have_the_outbox_and_old_books_are_upgraded(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite"
    books = Books.open(path)
    version = books.db.execute_sql("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION >= 2
    assert "outbox" in books.db.get_tables()
    # Books written by the first release: schema 1, no outbox table.
    books.db.execute_sql("DROP TABLE outbox")
    books.db.execute_sql("PRAGMA user_version = 1")
    books.close()
    reopened = Books.open(path)
    assert "outbox" in reopened.db.get_tables()
    version = reopened.db.execute_sql("PRAGMA user_version").fetchone()[0]
    assert version == SCHEMA_VERSION
    reopened.close()


def test_queued_entry_keeps_everything_needed_to_send_it_again(
    demo_books: Books, mail_settings: MailSettings
) -> None:
    entry_id = _queued(demo_books, mail_settings)
    entry = Outbox(demo_books.db).get(entry_id)
    assert entry.status == "queued"
    assert entry.customer_id == "C0001"
    assert (entry.period_start, entry.period_end) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
    )
    mail = stored_mail(Outbox(demo_books.db), entry_id)
    assert mail.attachment == Outbox(demo_books.db).pdf(entry_id)
    assert mail.message_id == entry.message_id
    assert mail.recipient == entry.recipient and mail.subject == entry.subject


def test_an_entry_is_claimed_once(
    demo_books: Books, mail_settings: MailSettings
) -> None:
    outbox = Outbox(demo_books.db)
    entry_id = _queued(demo_books, mail_settings)
    assert outbox.claim(entry_id) is True
    assert outbox.claim(entry_id) is False  # a second run cannot take it
    outbox.mark_sent(entry_id, "250 OK")
    assert outbox.claim(entry_id) is False
    assert outbox.claim(entry_id, force=True) is False  # sent is final


def test_crash_after_the_server_accepted_is_not_resent_by_itself(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    from flare_tui.mail import MailSender

    entry_id = _queued(demo_books, mail_settings)
    outbox = Outbox(demo_books.db)

    class Crash(BaseException):
        """The process dies right after the 250, before the log update."""

    with MailSender(mail_settings) as sender:

        def send_then_die(one: int) -> str:
            sender.send(stored_mail(outbox, one))
            raise Crash

        with pytest.raises(Crash):
            outbox.deliver(entry_id, send_then_die)

    assert len(smtp_server.received) == 1
    entry = outbox.get(entry_id)
    assert entry.status == "sending" and entry.status_text == "unconfirmed"

    report = retry(demo_books.db, mail_settings)  # --all: leaves it alone
    assert report.entries == ()
    report = retry(demo_books.db, mail_settings, [entry_id])
    assert [why for _, why in report.skipped] == ["unconfirmed: retry it with --force"]
    assert len(smtp_server.received) == 1

    # The bookkeeper checked and decided to resend: same Message-ID.
    with MailSender(mail_settings) as sender:
        entry = deliver(demo_books.db, entry_id, sender, force=True)
    assert entry.status == "sent" and entry.attempts == 2
    ids = {m.message["Message-ID"] for m in smtp_server.received}
    assert ids == {entry.message_id}
