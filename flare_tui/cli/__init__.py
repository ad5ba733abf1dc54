"""The `flare` command line: the same books and figures as the screens.

Commands are registered by modules listed in COMMAND_MODULES; each has a
`register(subparsers, common)` that adds its subcommands and sets `handler`
(a function taking the parsed args and returning an exit code). With no
subcommand, `flare` opens the TUI.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from typing import NoReturn

import peewee as pw

from ..db import explain_db_error, resolve_target
from ..errors import FlareError
from ..logs import setup_logging
from ..periods import PeriodError, check_fiscal_year_start, parse_date

log = logging.getLogger(__name__)

#: Modules that add subcommands, in the order their help lists them.
COMMAND_MODULES = ("books_commands", "mail_commands")

DESCRIPTION = """\
Flare: what each customer paid month by month over the fiscal year, how that
compares with last year, what is still owed and how late — and statements as
PDF by e-mail.

With no command, opens the terminal app on your books. The books are a
SQLite file: --db PATH (or a database URL), else $FLARE_DB, else the file in
your user data folder (see `flare paths`).
"""

EPILOG = """\
examples:
  flare --demo                          open the app on fresh demo books
  flare import --customers c.csv --invoices i.csv --payments p.csv
  flare customers --format json
  flare customer C0001
  flare statement C0001 --preset last-month
  flare statement C0001 --from 2026-01-01 --to 2026-03-31 --format csv
"""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line, not a usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _as_of(text: str) -> date:
    try:
        return parse_date(text, "--as-of")
    except PeriodError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _fy_start(text: str) -> int:
    try:
        return check_fiscal_year_start(int(text))
    except (ValueError, PeriodError):
        raise argparse.ArgumentTypeError(
            f"--fiscal-year-start {text!r} must be a month number, 1 to 12"
        ) from None


def common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options every command accepts, before or after the command name."""
    default = argparse.SUPPRESS if suppress else None
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("books options")
    group.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the books: a SQLite file or a database URL (default: $FLARE_DB,"
        " else the file in your user data folder)",
    )
    group.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        type=_as_of,
        default=default,
        help="look at the books on this day; nothing dated later counts"
        " (default: today)",
    )
    group.add_argument(
        "--fiscal-year-start",
        metavar="M",
        type=_fy_start,
        default=default,
        help="month (1-12) the fiscal year starts in, for this run only"
        " (default: the books' setting)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    """The whole `flare` parser with every registered command."""
    parser = _Parser(
        prog="flare",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common_options(suppress=False)],
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the app on fresh demo books, kept apart from your own",
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    common = common_options(suppress=True)
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(commands, common)
    return parser


def _version() -> str:
    from .. import __version__

    return f"flare {__version__}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run `flare` and return its exit code; errors are one line on stderr."""
    logging.getLogger("peewee").setLevel(logging.WARNING)
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    log.info("flare %s", " ".join(sys.argv[1:] if argv is None else argv))
    if args.as_of is None:
        args.as_of = date.today()
    try:
        if args.command is None:
            from .books_commands import open_tui

            return open_tui(args)
        return int(args.handler(args) or 0)
    except FlareError as error:
        log.warning("%s: %s", error.title, error)
        _fail(str(error))
        report = getattr(error, "report", None)
        if callable(report):
            print(report(), file=sys.stderr)
        return 1
    except (pw.DatabaseError, sqlite3.DatabaseError) as error:
        log.exception("database error")
        _fail(explain_db_error(error, resolve_target(args.db)))
        return 1
    except KeyboardInterrupt:
        _fail("interrupted")
        return 130
    except BrokenPipeError:
        return 0


def _fail(message: str) -> None:
    print(f"flare: error: {message}", file=sys.stderr)
