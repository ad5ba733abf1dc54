"""Time statements out the door: a 5,000-line statement to PDF, and a batch
of statement e-mails to an SMTP server on 127.0.0.1.

Uses the benchmark books of bench_books.py (bench-data/, made by
make_books.py; the statement customer has 5,000 lines this fiscal year),
copied to a temporary file so the outbox rows written here stay out of them.
The SMTP server is aiosmtpd in this process, on a free loopback port.

    .venv/bin/python benchmarks/bench_statements.py
    .venv/bin/python benchmarks/bench_statements.py --batch 400 --write-md
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_report import machine  # noqa: E402
from smtp_server import start_server  # noqa: E402

from flare_tui.batch import plan_batch, run_batch  # noqa: E402
from flare_tui.books import Books  # noqa: E402
from flare_tui.mail_settings import MailSettings  # noqa: E402
from flare_tui.periods import resolve_preset  # noqa: E402

BEGIN = "<!-- statements:begin -->"
END = "<!-- statements:end -->"


def time_pdf(books: Books, customer: str, as_of: date, runs: int) -> dict:
    """Build the big statement once, then render it `runs` times."""
    from flare_tui.pdf import render_statement

    start = time.perf_counter()
    import markdown_pdf  # noqa: F401 - the one-off import, timed apart

    import_s = time.perf_counter() - start
    period = resolve_preset("this-fiscal-year", as_of)
    start = time.perf_counter()
    statement = books.statement(customer, period, as_of)
    build_s = time.perf_counter() - start
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = render_statement(statement)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {
        "lines": len(statement.lines),
        "pages": pdf.pages,
        "bytes": len(pdf.data),
        "import_s": import_s,
        "statement_s": build_s,
        "render_median_s": statistics.median(walls),
        "render_best_s": min(walls),
        "render_cpu_median_s": statistics.median(cpus),
    }


def time_batch(books: Books, as_of: date, count: int) -> dict:
    """Plan last month's statements and send the first `count` of them."""
    server = start_server()
    settings = MailSettings(
        host="127.0.0.1",
        port=server.port,
        security="none",
        from_address="accounts@bench.example",
        timeout=10,
    )
    try:
        period = resolve_preset("last-month", as_of)
        start = time.perf_counter()
        plan = plan_batch(books, period, as_of, with_balance=True)
        plan_s = time.perf_counter() - start
        subset = replace(plan, items=plan.to_send[:count])
        start = time.perf_counter()
        result = run_batch(books, subset, settings)
        run_s = time.perf_counter() - start
        received = len(server.received)
    finally:
        server.stop()
    sent = len(result.sent)
    return {
        "customers_planned": len(plan.items),
        "to_send": len(plan.to_send),
        "plan_s": plan_s,
        "sent": sent,
        "received": received,
        "run_s": run_s,
        "per_s": sent / run_s,
    }


def markdown(results: dict) -> str:
    """The "Statements" section of BENCHMARKS.md."""
    pdf, batch = results["pdf"], results["batch"]
    return "\n".join(
        [
            BEGIN,
            "## Statements",
            "",
            *machine(),
            f"- command: `{results['command']}`",
            f"- books: {results['books']}",
            f"- load average (1 min) before/after: {results['load']}"
            " — other work on the machine slows every figure here",
            "",
            "| what | figure | target |",
            "|---|---|---|",
            f"| {pdf['lines']:,}-line statement to PDF ({pdf['pages']} pages,"
            f" {pdf['bytes'] / 1024:,.0f} KB), median of {results['runs']} |"
            f" {pdf['render_median_s']:.2f} s wall, best"
            f" {pdf['render_best_s']:.2f} s, CPU {pdf['render_cpu_median_s']:.2f} s"
            " | < 2 s |",
            f"| building that statement (SQL) | {pdf['statement_s']:.2f} s | |",
            f"| `import markdown_pdf` (once per process) | {pdf['import_s']:.2f} s | |",
            f"| plan of last month, {batch['customers_planned']:,} customers"
            f" ({batch['to_send']:,} to send) | {batch['plan_s']:.2f} s | |",
            f"| batch: {batch['sent']} statements rendered, logged and sent to"
            f" loopback SMTP ({batch['received']} received) | {batch['run_s']:.2f} s"
            f" = **{batch['per_s']:.1f} statements/s** | ≥ 20/s |",
            "",
            "Each batch statement is built, rendered to PDF, queued in the outbox"
            " with its PDF, claimed, sent over one SMTP session and marked sent:"
            " three committed transactions per statement (synchronous=FULL)."
            " PDFs are rendered ahead in two spawned processes while the main"
            " thread logs and sends; a 5,000-line PDF is one process's work.",
            END,
        ]
    )


def write_section(path: Path, block: str) -> None:
    """Put the block into BENCHMARKS.md, replacing an earlier one."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def main(argv: list[str] | None = None) -> None:
    """Copy the books, time the PDF and the batch, print and record."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--books",
        type=Path,
        default=ROOT / "bench-data" / "books-20000-1000000-s2026.sqlite",
        help="benchmark books made by bench_books.py",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch", type=int, default=300, help="statements to send")
    parser.add_argument("--write-md", action="store_true")
    args = parser.parse_args(argv)
    manifest = json.loads((args.books.with_suffix("") / "manifest.json").read_text())
    as_of = date.fromisoformat(manifest["as_of"])
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "books.sqlite"
        # SQLite's backup API: a consistent copy even if the books are in WAL.
        with sqlite3.connect(args.books) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        books = Books.open(copy)
        pdf = time_pdf(books, manifest["statement_customer"], as_of, args.runs)
        print(json.dumps(pdf, indent=2))
        batch = time_batch(books, as_of, args.batch)
        print(json.dumps(batch, indent=2))
        books.close()
    results = {
        "pdf": pdf,
        "batch": batch,
        "runs": args.runs,
        "load": f"{load_before:.2f} / {os.getloadavg()[0]:.2f}",
        "books": f"{manifest['customers']:,} customers, {manifest['invoices']:,}"
        f" invoices, {manifest['payments']:,} payments, as of {manifest['as_of']}",
        "command": "python benchmarks/bench_statements.py "
        + " ".join(argv if argv is not None else sys.argv[1:]),
    }
    if args.write_md:
        write_section(ROOT / "BENCHMARKS.md", markdown(results))
        print("wrote the Statements section of BENCHMARKS.md")


if __name__ == "__main__":
    main()
