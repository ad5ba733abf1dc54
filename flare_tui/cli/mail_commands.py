"""Console commands for statements out the door: PDF and e-mail of one
statement, month-end batches, and the sent log (`flare outbox`)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from ..books import Books
from ..errors import InputError
from ..mail_settings import (
    ENV_VARS,
    KEYRING_SERVICE,
    config_path,
    exports_dir,
    load_mail_settings,
)
from ..money import money
from ..outbox import Outbox, OutboxEntry
from ..periods import PRESETS
from ..statement import Statement
from ..text import one_line
from .books_commands import period_from_args
from .tables import cells, fit

if TYPE_CHECKING:
    from ..batch import BatchPlan, PlanItem


def _cut(text: str, width: int) -> str:
    # Cut and pad by terminal columns, so wide (CJK) names keep columns aligned.
    text = fit(text, width)
    return text + " " * max(width - cells(text), 0)


class Progress:
    """A one-line progress bar on stderr when it is a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled:
            return
        width = 24
        filled = width * done // max(total, 1)
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r[{bar}] {done}/{total} {_cut(label, 30)}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


# -- flare statement ID --pdf / --email -----------------------------------------


def statement_outputs(
    args: argparse.Namespace, books: Books, statement: Statement
) -> int:
    """The --pdf and --email options of `flare statement` (called by it)."""
    from ..pdf import render_statement, save_statement_pdf

    rendered = None
    if args.pdf is not None:
        path, rendered = save_statement_pdf(statement, args.pdf or None)
        print(f"wrote {path} ({rendered.pages} page(s), {len(rendered.data):,} bytes)")
    if not args.email:
        return 0
    from ..send import email_statement

    settings = load_mail_settings()
    rendered = rendered or render_statement(statement)
    entry = email_statement(
        books.db, statement, settings, recipient=args.recipient, pdf=rendered
    )
    return _report_entry(entry)


def _report_entry(entry: OutboxEntry) -> int:
    if entry.status == "sent":
        print(
            f"sent {entry.pdf_name} to {one_line(entry.recipient)}"
            f" (outbox #{entry.id}; server: {entry.answer})"
        )
        return 0
    print(
        f"flare: error: not sent to {one_line(entry.recipient)}: {entry.answer}\n"
        f"  it is kept in the outbox as #{entry.id}; send it again with"
        f" `flare outbox retry {entry.id}`",
        file=sys.stderr,
    )
    return 1


# -- flare send-statements --------------------------------------------------------


def print_plan(plan: BatchPlan, symbol: str) -> None:
    """The plan as a table: action, customer, recipient, balance, reason."""
    period = plan.period
    print(f"Statements for {period.label}, as of {plan.as_of.isoformat()}")
    for item in plan.items:
        print(
            f"  {item.action:<6} {_cut(item.customer_id, 8)}"
            f" {_cut(item.name, 24)} {_cut(item.recipient or '—', 28)}"
            f" {money(item.closing_balance, symbol):>12}"
            + (f"  {one_line(item.reason)}" if item.reason else "")
        )
    print(f"{len(plan.to_send)} to send, {len(plan.skipped)} skipped.")


def cmd_send_statements(args: argparse.Namespace) -> int:
    # Imported here: the mail and PDF stack costs every other command ~60 ms
    # of start-up (this module is loaded to build the parser).
    from ..batch import plan_batch, run_batch

    books = Books.open(args.db, create=False)
    period = period_from_args(args, books, None)
    plan = plan_batch(books, period, args.as_of, with_balance=args.with_balance)
    print_plan(plan, books.settings().currency_symbol)
    if args.dry_run or not plan.to_send:
        return 0
    settings = load_mail_settings()
    bar = Progress()
    cancel = threading.Event()

    def progress(done: int, total: int, item: PlanItem, entry: Any) -> None:
        bar(done, total, item.name)

    # Ctrl-C finishes the message in flight, then stops: no half-logged send.
    # A second Ctrl-C stops at once (an entry in flight stays unconfirmed).
    def interrupt(*_: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print(
            "\nstopping after this statement (Ctrl-C again to stop now)",
            file=sys.stderr,
        )

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        result = run_batch(books, plan, settings, progress=progress, cancel=cancel)
    finally:
        signal.signal(signal.SIGINT, previous)
    print(f"{len(result.sent)} sent, {len(result.failed)} failed.")
    for entry in result.failed[:10]:
        print(
            f"  #{entry.id} {fit(entry.customer_name, 24)}: {entry.answer}",
            file=sys.stderr,
        )
    if len(result.failed) > 10:
        more = len(result.failed) - 10
        print(f"  ... and {more} more: flare outbox --status failed", file=sys.stderr)
    if result.stopped:
        print(
            f"flare: error: stopped: {result.stopped}; run the same command again"
            " to send the rest (nothing is sent twice)",
            file=sys.stderr,
        )
    return 0 if result.complete else 1


# -- flare outbox -------------------------------------------------------------------


def print_outbox(entries: tuple[OutboxEntry, ...]) -> None:
    """The sent log as a table, newest first."""
    if not entries:
        print("The outbox is empty: no statement has been e-mailed yet.")
        return
    print(f"{'#':>5} {'status':<11} {'when':<16} {'customer':<22} {'period':<23}")
    for e in entries:
        when = (e.sent_at or e.attempted_at or e.created_at).astimezone()
        period = f"{e.period_start.isoformat()}..{e.period_end.isoformat()}"
        print(
            f"{e.id:>5} {e.status_text:<11} {when:%Y-%m-%d %H:%M} "
            f"{_cut(e.customer_name, 22)} {period:<23}"
        )
        print(f"{'':>5} to {one_line(e.recipient)}: {fit(e.answer or '-', 64)}")


def cmd_outbox(args: argparse.Namespace) -> int:
    books = Books.open(args.db, create=False)
    statuses = [args.status] if args.status else None
    print_outbox(Outbox(books.db).entries(statuses=statuses, limit=args.limit))
    return 0


def cmd_outbox_retry(args: argparse.Namespace) -> int:
    from ..send import retry

    if bool(args.ids) == bool(args.all):
        raise InputError("give the outbox numbers to retry, or --all")
    books = Books.open(args.db, create=False)
    settings = load_mail_settings()
    bar = Progress()
    report = retry(
        books.db,
        settings,
        args.ids or None,
        force=args.force,
        progress=lambda done, total, entry: bar(done, total, entry.customer_name),
    )
    for entry, why in report.skipped:
        print(f"  #{entry.id} not sent: {why}", file=sys.stderr)
    codes = [_report_entry(entry) for entry in report.entries]
    if not report.entries and not report.skipped:
        print("Nothing to retry: no failed or queued e-mail in the outbox.")
    return 1 if any(codes) or report.skipped else 0


def cmd_mail_settings(args: argparse.Namespace) -> int:
    settings = load_mail_settings()
    print(f"settings file: {config_path()}")
    print(f"exports:       {exports_dir()}")
    for name, value in vars(settings).items():
        if name.endswith("template"):
            value = value.replace("\n", "\\n")
        print(f"{name} = {value}")
    print(f"port in use = {settings.effective_port}")
    import os

    source = (
        "FLARE_SMTP_PASSWORD"
        if os.environ.get("FLARE_SMTP_PASSWORD")
        else (f"system keyring ({KEYRING_SERVICE})" if settings.user else "not needed")
    )
    print(f"password from: {source}")
    print("environment overrides: " + ", ".join(ENV_VARS))
    return 0


# -- registration ---------------------------------------------------------------


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add send-statements, outbox and mail-settings to the `flare` parser."""
    p = commands.add_parser(
        "send-statements",
        help="e-mail every customer their statement for a period",
        description="Shows the plan (who gets which statement, who is skipped"
        " and why), then sends, recording each e-mail in the outbox. Run again"
        " after an interruption: statements already sent are not sent twice."
        " Exit status 0 only when every planned statement went out.",
        parents=[common],
    )
    p.add_argument("--preset", choices=PRESETS, help="the statement period")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    p.add_argument(
        "--with-balance",
        action="store_true",
        help="skip customers whose closing balance is zero",
    )
    p.add_argument("--dry-run", action="store_true", help="show the plan only")
    p.set_defaults(handler=cmd_send_statements)

    p = commands.add_parser(
        "outbox",
        help="the log of statement e-mails; `outbox retry` resends failed ones",
        description="Every statement e-mail with its status (queued, sent,"
        " failed, unconfirmed) and the server's answer or the error.",
        parents=[common],
    )
    p.add_argument("--status", choices=("queued", "sending", "sent", "failed"))
    p.add_argument("--limit", type=int, default=50, help="rows to show (50)")
    p.set_defaults(handler=cmd_outbox)
    actions = p.add_subparsers(dest="outbox_action", metavar="ACTION")
    r = actions.add_parser(
        "retry",
        help="send failed e-mails again (same PDF, same Message-ID)",
        description="Resend failed or queued outbox entries. A sent entry is"
        " never resent; an unconfirmed one (interrupted mid-send) only with"
        " --force.",
        parents=[common],
    )
    r.add_argument("ids", nargs="*", type=int, metavar="ID")
    r.add_argument("--all", action="store_true", help="every failed or queued one")
    r.add_argument(
        "--force", action="store_true", help="also resend unconfirmed entries"
    )
    r.set_defaults(handler=cmd_outbox_retry)

    p = commands.add_parser(
        "mail-settings",
        help="show the e-mail settings in effect and where they come from",
        parents=[common],
    )
    p.set_defaults(handler=cmd_mail_settings)
