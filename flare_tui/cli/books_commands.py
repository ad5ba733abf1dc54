"""Commands on the books: import, export, demo, the three reports, settings."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from ..books import Books
from ..db import default_db_path, resolve_target
from ..errors import InputError
from ..filenames import exports_folder
from ..logs import log_path
from ..mail_settings import config_path
from ..periods import PRESETS, Period, PeriodError, custom_period, resolve_preset
from . import output, tables

FORMATS = ("table", "json", "csv")


def _books(args: argparse.Namespace, *, create: bool = False) -> Books:
    return Books.open(args.db, create=create)


def _fys(args: argparse.Namespace) -> int | None:
    return args.fiscal_year_start


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table for people (default), json or csv for programs",
    )


def _pretty() -> bool:
    # Indented JSON for a person at a terminal, compact for programs.
    return sys.stdout.isatty()


def _emit(text: str) -> int:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


# -- import / export / demo ----------------------------------------------------


class _ProgressBar:
    """A progress bar on stderr for big imports, only when it is a terminal.

    The importer reports rows checked per file, then rows written; the
    totals are estimated by counting the files' lines (a quoted address
    that spans lines makes the estimate a little high, never wrong).
    """

    def __init__(self, files: dict[str, str | None]) -> None:
        self.enabled = sys.stderr.isatty()
        self.totals: dict[str, int] = {}
        if self.enabled:
            for stage, name in files.items():
                if name:
                    self.totals[stage] = max(_count_lines(name) - 1, 1)
        self.written = 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if stage == "writing":
            self.written += done
            done, total, label = self.written, sum(self.totals.values()), "writing"
        else:
            total, label = self.totals.get(stage, 0), f"checking {stage}"
        width = shutil.get_terminal_size().columns - 1
        share = min(done / total, 1.0) if total else 0.0
        bar = "#" * int(share * 20)
        text = f"[{bar:<20}] {share:4.0%} {label} {done:,}/{total:,} rows"
        sys.stderr.write("\r" + text[:width].ljust(width))
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * (shutil.get_terminal_size().columns - 1))
            sys.stderr.write("\r")


def _count_lines(name: str) -> int:
    try:
        with open(name, "rb") as handle:
            return sum(
                chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")
            )
    except OSError:
        return 0  # the importer reports the unreadable file itself


def cmd_import(args: argparse.Namespace) -> int:
    from ..importer import import_csv

    books = _books(args, create=True)
    files = {
        "customers": args.customers,
        "invoices": args.invoices,
        "payments": args.payments,
    }
    bar = _ProgressBar(files)
    try:
        result = import_csv(
            books.db, args.customers, args.invoices, args.payments, progress=bar
        )
    finally:
        bar.done()
    print(
        f"imported {result.customers:,} customers, {result.invoices:,} invoices"
        f" and {result.payments:,} payments into {books.where}"
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..exporter import export_csv

    books = _books(args)
    for path in export_csv(books.db, args.folder):
        print(path)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import build_demo

    books = _books(args, create=True)
    build_demo(books.db, args.as_of)
    print(f"demo books written to {books.where}")
    return 0


def demo_path() -> Path:
    """Where `flare --demo` keeps its throwaway demo books."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("flare-tui")) / "demo.sqlite"


def open_tui(args: argparse.Namespace) -> int:
    """Open the terminal app on the books, or on fresh demo books."""
    target = args.db
    if args.demo:
        from ..demo import build_demo

        path = demo_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
        books = Books.open(path)
        build_demo(books.db, args.as_of)
        books.close()
        target = str(path)
    from ..tui.app import run_tui

    return run_tui(
        resolve_target(target), args.as_of, args.fiscal_year_start, demo=args.demo
    )


# -- reports -------------------------------------------------------------------


def cmd_customers(args: argparse.Namespace) -> int:
    books = _books(args)
    report = books.customer_list(args.as_of, _fys(args))
    if args.format == "json":
        return _emit(output.dumps(output.customers_json(report), _pretty()))
    if args.format == "csv":
        return _emit(output.customers_csv(report))
    symbol = books.settings().currency_symbol
    return _emit(tables.customers_table(report, symbol, wide=args.wide))


def cmd_customer(args: argparse.Namespace) -> int:
    books = _books(args)
    detail = books.customer_detail(
        args.customer_id, args.as_of, _fys(args), years_back=args.years_back
    )
    if args.format == "json":
        return _emit(output.dumps(output.detail_json(detail), _pretty()))
    if args.format == "csv":
        return _emit(output.detail_csv(detail))
    return _emit(tables.detail_table(detail, books.settings().currency_symbol))


def statement_period(args: argparse.Namespace, books: Books) -> Period:
    """The period named by --preset or by --from/--to."""
    if args.date_to and "@" in args.date_to:
        # `--email --to ADDR`: --to doubles as the recipient when it is one.
        if args.recipient:
            raise InputError("give the recipient once: --to ADDR or --recipient")
        args.recipient, args.date_to = args.date_to, None
    if args.recipient and not args.email:
        raise InputError("a recipient is only used with --email")
    return period_from_args(args, books, "this-month")


def period_from_args(
    args: argparse.Namespace, books: Books, default_preset: str | None
) -> Period:
    """The period of --preset or --from/--to, else `default_preset` (with
    None, the user must name one); a bad period is the user's InputError."""
    custom = args.date_from is not None or args.date_to is not None
    if custom and args.preset:
        raise InputError("give either --preset or --from/--to, not both")
    preset = args.preset or default_preset
    if not custom and not preset:
        raise InputError("choose the period: --preset P, or --from D --to D")
    try:
        if custom:
            if args.date_from is None or args.date_to is None:
                raise InputError("a custom period needs both --from and --to")
            return custom_period(args.date_from, args.date_to)
        start = books.fiscal_year_start(_fys(args))
        return resolve_preset(preset, args.as_of, start)
    except PeriodError as error:
        raise InputError(str(error)) from None


def cmd_statement(args: argparse.Namespace) -> int:
    books = _books(args)
    period = statement_period(args, books)
    statement = books.statement(args.customer_id, period, args.as_of)
    if args.pdf is not None or args.email:
        # PDF and e-mail live with the mail commands (imported only when used).
        from .mail_commands import statement_outputs

        return statement_outputs(args, books, statement)
    if args.format == "json":
        return _emit(output.dumps(output.statement_json(statement), _pretty()))
    if args.format == "csv":
        return _emit(output.statement_csv(statement))
    return _emit(tables.statement_table(statement))


# -- settings and paths --------------------------------------------------------


def cmd_settings(args: argparse.Namespace) -> int:
    books = _books(args, create=bool(args.set))
    changes: dict[str, Any] = {}
    for item in args.set or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--set {item!r}: write NAME=VALUE")
        changes[name.strip()] = value.replace("\\n", "\n")
    settings = books.update_settings(**changes) if changes else books.settings()
    for name, value in vars(settings).items():
        shown = str(value).replace("\n", "\\n")
        print(f"{name} = {shown}")
    return 0


def cmd_paths(args: argparse.Namespace) -> int:
    print(f"books:        {resolve_target(args.db)}")
    print(f"default:      {default_db_path()}")
    print(f"demo books:   {demo_path()}")
    print(f"log file:     {log_path()}")
    print(f"mail config:  {config_path()}")
    print(f"exports:      {exports_folder()}")
    return 0


# -- registration --------------------------------------------------------------


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add the books commands to the `flare` parser."""

    def add(name: str, handler: Any, help: str, **kw: Any) -> argparse.ArgumentParser:
        parser = commands.add_parser(
            name,
            help=help,
            description=kw.pop("description", help),
            parents=[common],
            **kw,
        )
        parser.set_defaults(handler=handler)
        return parser

    p = add(
        "import",
        cmd_import,
        "import customers, invoices and payments from CSV files",
        description="Import CSV files (UTF-8, comma-separated, header row)."
        " The whole import is one transaction: if any row breaks a rule,"
        " every error is listed as file:line:column and nothing is written.",
    )
    p.add_argument("--customers", metavar="FILE", help="customers CSV file")
    p.add_argument("--invoices", metavar="FILE", help="invoices CSV file")
    p.add_argument("--payments", metavar="FILE", help="payments CSV file")

    p = add(
        "export",
        cmd_export,
        "write the books as customers.csv, invoices.csv, payments.csv",
        description="Write the books back as the three CSV files import reads;"
        " importing them into empty books gives the same books.",
    )
    p.add_argument("folder", metavar="DIR", help="folder to write the files into")

    add(
        "demo",
        cmd_demo,
        "write demo books into the selected (empty) database",
        description="Write demo books (about forty customers over three fiscal"
        " years, built around --as-of) into --db / $FLARE_DB. Refuses books"
        " that already hold anything. `flare --demo` instead opens throwaway"
        " demo books in the app.",
    )

    p = add(
        "customers",
        cmd_customers,
        "the customer list: paid per fiscal month, this year, unpaid",
        description="Every customer: paid in each fiscal month, paid this year,"
        " change against the same period last year, unpaid invoices and total.",
    )
    _format_option(p)
    p.add_argument(
        "--wide", action="store_true", help="table: add the 12 month columns"
    )

    p = add(
        "customer",
        cmd_customer,
        "one customer: this fiscal year against last, and receivables",
    )
    p.add_argument("customer_id", metavar="ID", help="the customer's id")
    p.add_argument(
        "--years-back",
        type=int,
        default=0,
        metavar="N",
        help="show the fiscal year N years before the current one",
    )
    _format_option(p)

    p = add(
        "statement",
        cmd_statement,
        "a customer's balance-forward statement for a period",
        description="Opening balance, every invoice and payment in the period"
        " with the running balance, closing balance and aging. Presets: "
        + ", ".join(PRESETS)
        + " (default this-month); or --from and --to.",
    )
    p.add_argument("customer_id", metavar="ID", help="the customer's id")
    p.add_argument("--preset", choices=PRESETS, help="a named period")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")
    _format_option(p)
    p.add_argument(
        "--pdf",
        nargs="?",
        const="",
        metavar="PATH",
        help="write the statement as a PDF (to PATH, or the exports folder)",
    )
    p.add_argument("--email", action="store_true", help="e-mail the statement as a PDF")
    p.add_argument(
        "--recipient",
        metavar="ADDR",
        help="with --email: send to this address instead of the customer's"
        " (`--to ADDR` works too: a --to holding an @ is an address, not a date)",
    )

    p = add(
        "settings",
        cmd_settings,
        "show or change the books' settings (business, currency, fiscal year)",
    )
    p.add_argument(
        "--set",
        action="append",
        metavar="NAME=VALUE",
        help="change a setting, e.g. --set fiscal_year_start=4"
        " (\\n in a value is a new line)",
    )
    add("paths", cmd_paths, "show where the books, settings and exports live")
