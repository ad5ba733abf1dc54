"""Month-end batches: plan who gets which statement, then send them all.

The plan is computed first and can be shown without sending anything
(--dry-run). Running it records every message in the sent log before it
goes; a run that is interrupted and started again finds the statements
already sent in the log and does not send them twice.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date

import peewee as pw

from .books import Books
from .errors import FlareError
from .mail import MailSender, check_address
from .mail_settings import MailSettings
from .outbox import Outbox, OutboxEntry
from .pdf import StatementPdf, render_statement
from .periods import Period
from .send import deliver, queue_statement
from .statement import Statement

SOURCE = "batch"


@dataclass(frozen=True)
class PlanItem:
    """One customer in a batch: send (or resend), or skip and why."""

    customer_id: str
    name: str
    recipient: str
    closing_balance: int
    action: str  # "send", "resend" (a failed or queued earlier try), "skip"
    reason: str = ""
    outbox_id: int | None = None  # the earlier entry a resend reuses


@dataclass(frozen=True)
class BatchPlan:
    """Who gets which statement for a period, and who is skipped."""

    period: Period
    as_of: date
    with_balance: bool
    items: tuple[PlanItem, ...]

    @property
    def to_send(self) -> tuple[PlanItem, ...]:
        """The items that will go out."""
        return tuple(i for i in self.items if i.action != "skip")

    @property
    def skipped(self) -> tuple[PlanItem, ...]:
        """The items left out, each with its reason."""
        return tuple(i for i in self.items if i.action == "skip")


@dataclass(frozen=True)
class BatchResult:
    """What a run did; `complete` is True only if every planned one is sent."""

    plan: BatchPlan
    entries: tuple[OutboxEntry, ...]
    stopped: str = ""  # why the run stopped early, if it did

    @property
    def sent(self) -> tuple[OutboxEntry, ...]:
        """Entries the server accepted in this run."""
        return tuple(e for e in self.entries if e.status == "sent")

    @property
    def failed(self) -> tuple[OutboxEntry, ...]:
        """Entries that did not go out in this run."""
        return tuple(e for e in self.entries if e.status != "sent")

    @property
    def complete(self) -> bool:
        """Every planned statement went out and nothing stopped the run."""
        return not self.stopped and len(self.sent) == len(self.plan.to_send)


#: progress(done, total, item, entry or None): after each planned item.
BatchProgress = Callable[[int, int, PlanItem, OutboxEntry | None], None]


def _balances(db: pw.Database, day: date) -> list[tuple[str, str, str, int]]:
    # Every customer's balance at the period's end: two grouped scans, not a
    # pair of subqueries per customer.
    return db.execute_sql(
        "WITH inv AS (SELECT customer_id AS c, SUM(amount) AS total FROM invoice"
        "   WHERE issue_date <= :d GROUP BY customer_id),"
        " pay AS (SELECT customer_id AS c, SUM(amount) AS total FROM payment"
        "   WHERE date <= :d GROUP BY customer_id)"
        " SELECT cu.customer_id, cu.name, cu.email,"
        " COALESCE(inv.total, 0) - COALESCE(pay.total, 0)"
        " FROM customer cu LEFT JOIN inv ON inv.c = cu.id"
        " LEFT JOIN pay ON pay.c = cu.id ORDER BY cu.name, cu.customer_id",
        {"d": day.isoformat()},
    ).fetchall()


def plan_batch(
    books: Books, period: Period, as_of: date, *, with_balance: bool = False
) -> BatchPlan:
    """The plan for a period: every customer, sent to or skipped with a reason."""
    end = min(period.end, as_of)
    earlier = Outbox(books.db).latest_by_customer(period.start, end, SOURCE)
    items = []
    for code, name, email, closing in _balances(books.db, end):
        item = PlanItem(code, name, email, closing, "send")
        if not email:
            item = _skip(item, "no e-mail address")
        elif with_balance and closing == 0:
            item = _skip(item, "zero balance")
        else:
            try:
                check_address(email, "e-mail address")
            except FlareError as error:
                item = _skip(item, str(error))
        if item.action == "send":
            item = _against_log(item, earlier.get((code, email)))
        items.append(item)
    return BatchPlan(period, as_of, with_balance, tuple(items))


def _skip(item: PlanItem, reason: str) -> PlanItem:
    return PlanItem(
        item.customer_id,
        item.name,
        item.recipient,
        item.closing_balance,
        "skip",
        reason,
    )


def _against_log(item: PlanItem, earlier: OutboxEntry | None) -> PlanItem:
    if earlier is None:
        return item
    when = (earlier.sent_at or earlier.created_at).astimezone()
    if earlier.status == "sent":
        reason = f"already sent {when:%Y-%m-%d %H:%M} (outbox #{earlier.id})"
        return _skip(item, reason)
    if earlier.status == "sending":
        return _skip(
            item,
            f"unconfirmed earlier send (outbox #{earlier.id}): check, then"
            f" `flare outbox retry {earlier.id} --force`",
        )
    return PlanItem(
        item.customer_id,
        item.name,
        item.recipient,
        item.closing_balance,
        "resend",
        f"earlier try {earlier.status} (outbox #{earlier.id})",
        earlier.id,
    )


def _pool(count: int, workers: int | None) -> tuple[Executor | None, int]:
    """Processes that render PDFs while this thread sends (None: render here).

    Rendering is CPU work that holds the GIL, so threads do not help; a
    small batch is not worth starting processes for. "spawn", because the
    caller may be a TUI with threads, where fork is unsafe.
    """
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if count >= 20 else 0
    if workers <= 0:
        return None, 0
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context), workers


def run_batch(
    books: Books,
    plan: BatchPlan,
    settings: MailSettings,
    *,
    progress: BatchProgress | None = None,
    cancel: threading.Event | None = None,
    workers: int | None = None,
) -> BatchResult:
    """Send every planned statement over one SMTP session.

    Each one is queued in the sent log (with its PDF) just before it is
    sent. If the server cannot be reached or refuses the login, the run
    stops: the rest would fail the same way; run it again later. PDFs are
    rendered ahead in `workers` processes (default: 2 for 20 or more).
    """
    todo = plan.to_send
    entries: list[OutboxEntry] = []
    stopped = ""
    fresh = sum(1 for item in todo if item.outbox_id is None)
    pool, processes = _pool(fresh, workers)
    window = 4 * processes
    ahead: dict[int, tuple[Statement, Future[StatementPdf] | None]] = {}
    prepared = 0  # every index below this has been looked at by prepare()

    def prepare(upto: int) -> None:
        # Build statements (SQL, this thread) and start their renders early.
        nonlocal prepared
        for j in range(prepared, min(upto + 1, len(todo))):
            if todo[j].outbox_id is None:
                statement = books.statement(
                    todo[j].customer_id, plan.period, plan.as_of
                )
                job = pool.submit(render_statement, statement) if pool else None
                ahead[j] = (statement, job)
        prepared = max(prepared, upto + 1)

    try:
        with MailSender(settings) as sender:
            for index, item in enumerate(todo):
                if cancel is not None and cancel.is_set():
                    stopped = "cancelled"
                    break
                entry_id = item.outbox_id
                if entry_id is None:
                    prepare(index + window)
                    statement, job = ahead.pop(index)
                    pdf = job.result() if job else render_statement(statement)
                    queued = queue_statement(
                        books.db,
                        statement,
                        settings,
                        recipient=item.recipient,
                        pdf=pdf,
                        source=SOURCE,
                    )
                    entry_id = queued.id
                entry = deliver(books.db, entry_id, sender)
                entries.append(entry)
                if progress is not None:
                    progress(index + 1, len(todo), item, entry)
                if entry.status == "failed" and sender.open_failed:
                    stopped = entry.answer
                    break
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    return BatchResult(plan, tuple(entries), stopped)
