"""The sent log: every statement e-mail, recorded before and after it goes.

A row is written (queued) with the exact PDF and message before any SMTP
traffic, claimed (sending) in its own committed transaction just before the
conversation, and marked sent or failed after it.

A crash between the server's "250 accepted" and the update leaves the row
in `sending`. Flare cannot know whether that message went out, so it never
resends such a row by itself: `flare outbox` shows it as unconfirmed and
`flare outbox retry ID --force` resends it with the same Message-ID (which
lets many mail systems drop the duplicate). Failed rows resend freely: a
failure is only recorded when the server did not accept the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import peewee as pw

from .db import write_transaction
from .errors import FlareError
from .models import database

STATUSES = ("queued", "sending", "sent", "failed")
UNCONFIRMED = (
    "interrupted while sending: the server may have accepted it. Check the"
    " sent folder or ask the customer before resending with --force"
)


class OutboxError(FlareError):
    """An outbox entry that is missing or cannot be sent in its state."""

    title = "Outbox"


class SentMail(pw.Model):
    """One statement e-mail and what happened to it; the PDF is kept as sent."""

    customer_code = pw.TextField(index=True)
    customer_name = pw.TextField()
    period_start = pw.DateField()
    period_end = pw.DateField()
    preset = pw.TextField(default="")
    closing_balance = pw.IntegerField()  # cents
    recipient = pw.TextField()
    sender = pw.TextField()
    sender_name = pw.TextField()
    subject = pw.TextField()
    body = pw.TextField()
    message_id = pw.TextField(unique=True)
    date_header = pw.TextField()
    pdf_name = pw.TextField()
    pdf = pw.BlobField()
    source = pw.TextField(default="single")  # "single" or "batch"
    status = pw.TextField(default="queued", index=True)
    attempts = pw.IntegerField(default=0)
    answer = pw.TextField(default="")  # server's answer, or the error in words
    created_at = pw.TextField()  # UTC, ISO 8601
    attempted_at = pw.TextField(null=True)
    sent_at = pw.TextField(null=True)

    class Meta:
        database = database
        table_name = "outbox"
        indexes = ((("customer_code", "period_start", "period_end", "source"), False),)


def create_outbox_table(db: pw.Database) -> None:
    """Schema upgrade step 2: the sent log."""
    db.create_tables([SentMail])


@dataclass(frozen=True)
class OutboxEntry:
    """One row of the sent log, without the PDF bytes."""

    id: int
    customer_id: str
    customer_name: str
    period_start: date
    period_end: date
    closing_balance: int
    recipient: str
    subject: str
    message_id: str
    status: str
    attempts: int
    answer: str
    created_at: datetime
    attempted_at: datetime | None
    sent_at: datetime | None
    pdf_name: str
    pdf_size: int
    source: str

    @property
    def status_text(self) -> str:
        """The status for people: `sending` found later means unconfirmed."""
        return "unconfirmed" if self.status == "sending" else self.status


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_COLUMNS = (
    SentMail.id,
    SentMail.customer_code,
    SentMail.customer_name,
    SentMail.period_start,
    SentMail.period_end,
    SentMail.closing_balance,
    SentMail.recipient,
    SentMail.subject,
    SentMail.message_id,
    SentMail.status,
    SentMail.attempts,
    SentMail.answer,
    SentMail.created_at,
    SentMail.attempted_at,
    SentMail.sent_at,
    SentMail.pdf_name,
    pw.fn.LENGTH(SentMail.pdf),
    SentMail.source,
)


def _entry(row: tuple) -> OutboxEntry:  # type: ignore[type-arg]
    values = list(row)
    for i in (3, 4):
        if isinstance(values[i], str):
            values[i] = date.fromisoformat(values[i])
    values[12], values[13], values[14] = (_when(v) for v in values[12:15])
    return OutboxEntry(*values)


class Outbox:
    """The sent log of the books; plain values out, safe from any thread
    that has its own connection."""

    def __init__(self, db: pw.Database) -> None:
        self.db = db

    def add(self, fields: dict[str, object]) -> OutboxEntry:
        """Record a message as queued (fields of SentMail); returns the entry."""
        with write_transaction(self.db):
            row = SentMail.create(status="queued", created_at=_now(), **fields)
        return self.get(row.id)

    def get(self, entry_id: int) -> OutboxEntry:
        """One entry; OutboxError if there is none."""
        rows = SentMail.select(*_COLUMNS).where(SentMail.id == entry_id).tuples()
        found = list(rows)
        if not found:
            raise OutboxError(f"no outbox entry {entry_id}")
        return _entry(found[0])

    def entries(
        self, statuses: Iterable[str] | None = None, limit: int | None = None
    ) -> tuple[OutboxEntry, ...]:
        """The log, newest first, optionally only some statuses."""
        query = SentMail.select(*_COLUMNS).order_by(SentMail.id.desc())
        if statuses is not None:
            query = query.where(SentMail.status.in_(list(statuses)))
        if limit is not None:
            query = query.limit(limit)
        return tuple(_entry(row) for row in query.tuples())

    def pdf(self, entry_id: int) -> bytes:
        """The exact PDF bytes that were (or will be) sent."""
        row = SentMail.get_or_none(SentMail.id == entry_id)
        if row is None:
            raise OutboxError(f"no outbox entry {entry_id}")
        return bytes(row.pdf)

    def message_row(self, entry_id: int) -> SentMail:
        """The full row (with PDF and body), to rebuild the message."""
        row = SentMail.get_or_none(SentMail.id == entry_id)
        if row is None:
            raise OutboxError(f"no outbox entry {entry_id}")
        return row

    def latest_for(
        self, customer_id: str, start: date, end: date, recipient: str, source: str
    ) -> OutboxEntry | None:
        """The newest entry for this statement and recipient, if any."""
        query = (
            SentMail.select(*_COLUMNS)
            .where(
                (SentMail.customer_code == customer_id)
                & (SentMail.period_start == start)
                & (SentMail.period_end == end)
                & (SentMail.recipient == recipient)
                & (SentMail.source == source)
            )
            .order_by(SentMail.id.desc())
            .limit(1)
            .tuples()
        )
        found = list(query)
        return _entry(found[0]) if found else None

    def latest_by_customer(
        self, start: date, end: date, source: str
    ) -> dict[tuple[str, str], OutboxEntry]:
        """The newest entry per (customer id, recipient) for one period, in
        one query (a batch plan asks this for thousands of customers)."""
        query = (
            SentMail.select(*_COLUMNS)
            .where(
                (SentMail.period_start == start)
                & (SentMail.period_end == end)
                & (SentMail.source == source)
            )
            .order_by(SentMail.id)
            .tuples()
        )
        latest = {}
        for row in query:
            entry = _entry(row)
            latest[entry.customer_id, entry.recipient] = entry
        return latest

    def claim(self, entry_id: int, *, force: bool = False) -> bool:
        """Mark an entry `sending` if it may be sent; False if it may not.

        Only queued and failed entries are claimed (an unconfirmed `sending`
        one too with force). The check and the change are one IMMEDIATE
        transaction, so two runs never both send the same entry.
        """
        allowed = ["queued", "failed"] + (["sending"] if force else [])
        with write_transaction(self.db):
            changed = (
                SentMail.update(
                    status="sending",
                    attempts=SentMail.attempts + 1,
                    attempted_at=_now(),
                    answer="",
                )
                .where((SentMail.id == entry_id) & SentMail.status.in_(allowed))
                .execute()
            )
        return changed == 1

    def mark_sent(self, entry_id: int, answer: str) -> None:
        """The server accepted the message."""
        with write_transaction(self.db):
            SentMail.update(status="sent", answer=answer, sent_at=_now()).where(
                SentMail.id == entry_id
            ).execute()

    def mark_failed(self, entry_id: int, reason: str) -> None:
        """The server did not accept the message; `reason` is in words."""
        with write_transaction(self.db):
            SentMail.update(status="failed", answer=reason).where(
                SentMail.id == entry_id
            ).execute()

    def deliver(
        self,
        entry_id: int,
        send: Callable[[int], str],
        *,
        force: bool = False,
    ) -> OutboxEntry:
        """Claim, send with `send(entry_id)` and record the outcome.

        `send` returns the server's answer or raises a FlareError whose text
        is recorded. An entry that cannot be claimed is returned unchanged.
        """
        if not self.claim(entry_id, force=force):
            return self.get(entry_id)
        try:
            answer = send(entry_id)
        except FlareError as error:
            self.mark_failed(entry_id, str(error))
        # Anything else (Ctrl-C mid-conversation) leaves the entry `sending`:
        # the server may already have said 250, so it is not resent blindly.
        else:
            self.mark_sent(entry_id, answer)
        return self.get(entry_id)
