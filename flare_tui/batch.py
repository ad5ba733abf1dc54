"""Month-end batches: plan who gets which statement, then send them all.

The plan is computed first and can be shown without sending anything
(--dry-run). Running it records every message in the sent log before it
goes; a run that is interrupted and started again finds the statements
already sent in the log and does not send them twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import peewee as pw

from .books import Books
from .errors import FlareError
from .mail import MailSender, check_address
from .mail_settings import MailSettings
from .outbox import Outbox, OutboxEntry
from .periods import Period
from .send import deliver, queue_statement

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
    # One query: every customer's balance at the period's end.
    return db.execute_sql(
        "SELECT c.customer_id, c.name, c.email,"
        " COALESCE((SELECT SUM(i.amount) FROM invoice i"
        "   WHERE i.customer_id = c.id AND i.issue_date <= :d), 0)"
        " - COALESCE((SELECT SUM(p.amount) FROM payment p"
        "   WHERE p.customer_id = c.id AND p.date <= :d), 0)"
        " FROM customer c ORDER BY c.name, c.customer_id",
        {"d": day.isoformat()},
    ).fetchall()


def plan_batch(
    books: Books, period: Period, as_of: date, *, with_balance: bool = False
) -> BatchPlan:
    """The plan for a period: every customer, sent to or skipped with a reason."""
    end = min(period.end, as_of)
    outbox = Outbox(books.db)
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
            earlier = outbox.latest_for(code, period.start, end, email, SOURCE)
            item = _against_log(item, earlier)
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


def run_batch(
    books: Books,
    plan: BatchPlan,
    settings: MailSettings,
    *,
    progress: BatchProgress | None = None,
    cancel: threading.Event | None = None,
) -> BatchResult:
    """Send every planned statement over one SMTP session.

    Each one is queued in the sent log (with its PDF) just before it is
    sent. If the server cannot be reached or refuses the login, the run
    stops: the rest would fail the same way; run it again later.
    """
    todo = plan.to_send
    entries: list[OutboxEntry] = []
    stopped = ""
    with MailSender(settings) as sender:
        for index, item in enumerate(todo, start=1):
            if cancel is not None and cancel.is_set():
                stopped = "cancelled"
                break
            entry_id = item.outbox_id
            if entry_id is None:
                statement = books.statement(item.customer_id, plan.period, plan.as_of)
                queued = queue_statement(
                    books.db,
                    statement,
                    settings,
                    recipient=item.recipient,
                    source=SOURCE,
                )
                entry_id = queued.id
            entry = deliver(books.db, entry_id, sender)
            entries.append(entry)
            if progress is not None:
                progress(index, len(todo), item, entry)
            if entry.status == "failed" and sender.open_failed:
                stopped = entry.answer
                break
    return BatchResult(plan, tuple(entries), stopped)
