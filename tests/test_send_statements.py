"""Month-end batches: the plan (who is sent what, who is skipped and why),
a run to a loopback server, resume after an interruption without resending,
and the console commands with their exit codes."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path

import pytest
from builders import DEMO_AS_OF
from smtp_server import SmtpServer

from flare_tui.batch import plan_batch, run_batch
from flare_tui.books import Books
from flare_tui.cli import main
from flare_tui.mail_settings import MailSettings
from flare_tui.outbox import Outbox
from flare_tui.periods import resolve_preset

PERIOD = resolve_preset("last-month", DEMO_AS_OF)


def _expected(books: Books, with_balance: bool) -> dict[str, str]:
    """customer id -> address, worked out from each customer's statement."""
    wanted = {}
    for info in books.find_customers("", limit=1000):
        statement = books.statement(info.customer_id, PERIOD, DEMO_AS_OF)
        if not info.email or (with_balance and statement.closing_balance == 0):
            continue
        wanted[info.customer_id] = info.email
    return wanted


def test_plan_lists_who_is_sent_and_who_is_skipped_and_why(
    demo_books: Books, mail_settings: MailSettings
) -> None:
    plan = plan_batch(demo_books, PERIOD, DEMO_AS_OF, with_balance=True)
    wanted = _expected(demo_books, with_balance=True)
    assert {i.customer_id: i.recipient for i in plan.to_send} == wanted
    reasons = Counter(i.reason for i in plan.skipped)
    assert reasons["no e-mail address"] >= 1
    assert len(plan.items) == len(demo_books.find_customers("", limit=1000))
    for item in plan.skipped:
        assert item.reason in ("no e-mail address", "zero balance")
        if item.reason == "zero balance":
            assert item.closing_balance == 0 and item.recipient

    every = plan_batch(demo_books, PERIOD, DEMO_AS_OF, with_balance=False)
    assert len(every.to_send) == len(_expected(demo_books, with_balance=False))


def test_run_sends_each_planned_statement_once(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    plan = plan_batch(demo_books, PERIOD, DEMO_AS_OF, with_balance=True)
    seen = []
    result = run_batch(
        demo_books,
        plan,
        mail_settings,
        progress=lambda done, total, item, entry: seen.append((done, total)),
    )
    assert result.complete
    assert seen[-1] == (len(plan.to_send), len(plan.to_send))
    delivered = Counter(m.rcpt_tos[0] for m in smtp_server.received)
    assert delivered == Counter(i.recipient for i in plan.to_send)
    outbox = Outbox(demo_books.db)
    for entry in result.entries:
        assert entry.status == "sent"
        assert outbox.pdf(entry.id).startswith(b"%PDF")


def test_interrupted_run_resumes_without_resending(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    plan = plan_batch(demo_books, PERIOD, DEMO_AS_OF, with_balance=True)
    cancel = threading.Event()

    def stop_after_three(done: int, total: int, item: object, entry: object) -> None:
        if done == 3:
            cancel.set()

    first = run_batch(
        demo_books, plan, mail_settings, progress=stop_after_three, cancel=cancel
    )
    assert first.stopped == "cancelled" and not first.complete
    assert len(smtp_server.received) == 3

    again = plan_batch(demo_books, PERIOD, DEMO_AS_OF, with_balance=True)
    already = [i for i in again.skipped if i.reason.startswith("already sent")]
    assert len(already) == 3
    second = run_batch(demo_books, again, mail_settings)
    assert second.complete
    delivered = Counter(m.rcpt_tos[0] for m in smtp_server.received)
    assert delivered == Counter(i.recipient for i in plan.to_send)  # once each


def test_server_down_stops_the_run_and_a_rerun_sends_the_rest(
    demo_books: Books, smtp_server: SmtpServer, mail_settings: MailSettings
) -> None:
    plan = plan_batch(demo_books, PERIOD, DEMO_AS_OF, with_balance=True)
    smtp_server.stop()
    result = run_batch(demo_books, plan, mail_settings)
    assert not result.complete
    assert "refused" in result.stopped
    assert len(result.entries) == 1  # stopped at the first, not 30 failures

    smtp_server.start()
    again = plan_batch(demo_books, PERIOD, DEMO_AS_OF, with_balance=True)
    assert [i.action for i in again.to_send].count("resend") == 1
    assert run_batch(demo_books, again, mail_settings).complete
    delivered = Counter(m.rcpt_tos[0] for m in smtp_server.received)
    assert delivered == Counter(i.recipient for i in plan.to_send)


@pytest.fixture
def cli_env(
    demo_books: Books,
    smtp_server: SmtpServer,
    mail_settings: MailSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> list[str]:
    """Environment for the console commands: the test server, the demo books."""
    monkeypatch.setenv("FLARE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("FLARE_SMTP_PORT", str(smtp_server.port))
    monkeypatch.setenv("FLARE_SMTP_SECURITY", "none")
    monkeypatch.setenv("FLARE_SMTP_FROM", mail_settings.from_address)
    monkeypatch.setenv("FLARE_SMTP_TIMEOUT", "5")
    return ["--db", demo_books.where, "--as-of", DEMO_AS_OF.isoformat()]


def test_console_dry_run_then_send_then_nothing_left(
    cli_env: list[str], smtp_server: SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["send-statements", "--preset", "last-month", "--with-balance", *cli_env]
    assert main([*args, "--dry-run"]) == 0
    plan_text = capsys.readouterr().out
    assert "2026-11-01 to 2026-11-30" in plan_text
    assert "no e-mail address" in plan_text
    assert smtp_server.received == []

    assert main(args) == 0
    out = capsys.readouterr().out
    count = len(smtp_server.received)
    assert count > 0 and f"{count} sent, 0 failed." in out

    assert main(args) == 0  # run again: everything already sent
    assert "0 to send" in capsys.readouterr().out
    assert len(smtp_server.received) == count


def test_console_statement_email_failure_then_outbox_retry(
    cli_env: list[str],
    smtp_server: SmtpServer,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    smtp_server.stop()
    args = ["statement", "C0001", "--preset", "this-fiscal-year", *cli_env]
    assert main([*args, "--email"]) == 1
    err = capsys.readouterr().err
    assert "connection was refused" in err and "flare outbox retry 1" in err

    assert main(["outbox", *cli_env]) == 0
    listing = capsys.readouterr().out
    assert "failed" in listing and "Emerald Chiang" in listing

    smtp_server.start()
    assert main(["outbox", "retry", "1", *cli_env]) == 0
    assert len(smtp_server.received) == 1
    assert main(["outbox", "retry", "--all", *cli_env]) == 0
    assert len(smtp_server.received) == 1

    pdf_path = tmp_path / "out.pdf"
    assert main([*args, "--pdf", str(pdf_path)]) == 0
    assert pdf_path.read_bytes().startswith(b"%PDF")
