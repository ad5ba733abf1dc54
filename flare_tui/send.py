"""Sending statements: queue in the sent log, then deliver; and retries.

Every function here is plain and blocking, for the command line or a
Textual thread worker; progress is reported through a callback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import peewee as pw

from .mail import MailSender, OutgoingMail, SendFailure, compose
from .mail_settings import MailSettings
from .outbox import Outbox, OutboxEntry, OutboxError
from .pdf import StatementPdf, render_statement
from .statement import Statement

#: progress(done, total, entry): called after each message is dealt with.
Progress = Callable[[int, int, OutboxEntry], None]


class NoRecipient(OutboxError):
    """The customer has no e-mail address and none was given."""

    title = "No e-mail address"


def queue_statement(
    db: pw.Database,
    statement: Statement,
    settings: MailSettings,
    *,
    recipient: str | None = None,
    pdf: StatementPdf | None = None,
    source: str = "single",
) -> OutboxEntry:
    """Render (unless given) and record a statement e-mail as queued.

    Every header is checked first: an unsafe name, address or subject is a
    HeaderError and nothing is recorded.
    """
    to = recipient or statement.customer.email
    if not to:
        raise NoRecipient(
            f"{statement.customer.name} ({statement.customer.customer_id}) has no"
            " e-mail address: add one to the customer or give --to ADDR"
        )
    rendered = pdf or render_statement(statement)
    mail = compose(statement, rendered.data, rendered.file_name, to, settings)
    return Outbox(db).add(
        {
            "customer_code": statement.customer.customer_id,
            "customer_name": statement.customer.name,
            "period_start": statement.period.start,
            "period_end": statement.end,
            "preset": statement.period.preset or "",
            "closing_balance": statement.closing_balance,
            "recipient": mail.recipient,
            "sender": mail.sender,
            "sender_name": mail.sender_name,
            "subject": mail.subject,
            "body": mail.body,
            "message_id": mail.message_id,
            "date_header": mail.date_header,
            "pdf_name": mail.attachment_name,
            "pdf": mail.attachment,
            "source": source,
        }
    )


def stored_mail(outbox: Outbox, entry_id: int) -> OutgoingMail:
    """The message of an entry exactly as queued (same PDF, same Message-ID)."""
    row = outbox.message_row(entry_id)
    return OutgoingMail(
        sender=row.sender,
        sender_name=row.sender_name,
        recipient=row.recipient,
        subject=row.subject,
        body=row.body,
        attachment_name=row.pdf_name,
        attachment=bytes(row.pdf),
        message_id=row.message_id,
        date_header=row.date_header,
    )


def deliver(
    db: pw.Database, entry_id: int, sender: MailSender, *, force: bool = False
) -> OutboxEntry:
    """Send one queued or failed entry through an open session and log it."""
    outbox = Outbox(db)

    def send(one: int) -> str:
        return sender.send(stored_mail(outbox, one))

    return outbox.deliver(entry_id, send, force=force)


def email_statement(
    db: pw.Database,
    statement: Statement,
    settings: MailSettings,
    *,
    recipient: str | None = None,
    pdf: StatementPdf | None = None,
) -> OutboxEntry:
    """Queue and send one statement now; the entry says sent or failed."""
    with MailSender(settings) as sender:
        entry = queue_statement(db, statement, settings, recipient=recipient, pdf=pdf)
        return deliver(db, entry.id, sender)


@dataclass(frozen=True)
class RetryReport:
    """What a retry did: the entries after it, and those it left alone."""

    entries: tuple[OutboxEntry, ...]
    skipped: tuple[tuple[OutboxEntry, str], ...]

    @property
    def all_sent(self) -> bool:
        """True when every retried entry is now sent."""
        return all(e.status == "sent" for e in self.entries) and not self.skipped


def retry(
    db: pw.Database,
    settings: MailSettings,
    ids: Iterable[int] | None = None,
    *,
    force: bool = False,
    progress: Progress | None = None,
) -> RetryReport:
    """Resend failed (or still queued) entries: the given ids, or all of them.

    A sent entry is never resent; an unconfirmed one only with force.
    """
    outbox = Outbox(db)
    if ids is None:
        todo = list(reversed(outbox.entries(statuses=("failed", "queued"))))
    else:
        todo = [outbox.get(i) for i in ids]
    done: list[OutboxEntry] = []
    skipped: list[tuple[OutboxEntry, str]] = []
    with MailSender(settings) as sender:
        for index, entry in enumerate(todo, start=1):
            if entry.status == "sent":
                skipped.append((entry, "already sent"))
            elif entry.status == "sending" and not force:
                skipped.append((entry, "unconfirmed: retry it with --force"))
            else:
                entry = deliver(db, entry.id, sender, force=force)
                done.append(entry)
            if progress is not None:
                progress(index, len(todo), entry)
    return RetryReport(tuple(done), tuple(skipped))


__all__ = [
    "NoRecipient",
    "Progress",
    "RetryReport",
    "SendFailure",
    "deliver",
    "email_statement",
    "queue_statement",
    "retry",
    "stored_mail",
]
