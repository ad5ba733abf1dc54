"""The domain boundary: nothing outside flare_tui/tui imports Textual, and
the domain hands out frozen dataclasses of plain values."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from builders import DEMO_AS_OF

from flare_tui.books import Books
from flare_tui.periods import resolve_preset

PROBE = textwrap.dedent(
    """
    import importlib, io, pkgutil, sys, contextlib
    import flare_tui
    from datetime import date
    skipped = ("flare_tui.tui", "flare_tui.__main__")
    names = [
        m.name
        for m in pkgutil.walk_packages(flare_tui.__path__, "flare_tui.")
        if not m.name.startswith(skipped)
    ]
    for name in names:
        importlib.import_module(name)
    from flare_tui.books import Books
    from flare_tui.demo import build_demo
    from flare_tui.cli import main
    db = sys.argv[1]
    books = Books.open(db)
    build_demo(books.db, date(2026, 12, 3))
    books.close()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["customers", "--db", db, "--as-of", "2026-12-03",
                     "--format", "json"])
    assert code == 0, code
    assert "Emerald Chiang" in out.getvalue()
    loaded = sorted(m for m in sys.modules if m.split(".")[0] == "textual")
    print("MODULES", len(names))
    print("TEXTUAL", loaded)
    """
)


def test_domain_and_cli_never_import_textual(tmp_path: Path) -> None:
    env = dict(os.environ)
    for var in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[var] = str(tmp_path / var.lower())
    env.pop("FLARE_DB", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "books.sqlite")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert int(lines["MODULES"]) >= 12  # the probe really imported the domain
    assert lines["TEXTUAL"] == "[]"


def _assert_frozen(value: object) -> None:
    assert dataclasses.is_dataclass(value)
    field = dataclasses.fields(value)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(value, field, None)


def test_domain_answers_are_frozen_dataclasses(demo_books: Books) -> None:
    listing = demo_books.customer_list(DEMO_AS_OF)
    detail = demo_books.customer_detail("C0001", DEMO_AS_OF)
    statement = demo_books.statement(
        "C0001", resolve_preset("last-fiscal-year", DEMO_AS_OF), DEMO_AS_OF
    )
    for value in (
        listing,
        listing.customers[0],
        listing.totals,
        detail,
        detail.months[0],
        detail.receivable,
        detail.receivable.invoices[0],
        detail.receivable.aging,
        statement,
        statement.lines[0],
        demo_books.settings(),
        demo_books.customer("C0001"),
    ):
        _assert_frozen(value)
    assert isinstance(listing.customers, tuple)
    assert all(isinstance(c, int) for c in listing.customers[0].paid_by_month)
