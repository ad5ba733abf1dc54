"""SVG snapshots of the list and the detail at 80x24 and 120x40.

Refresh on purpose after a deliberate change (or a Textual bump) with
`pytest tests/tui --snapshot-update`, and look at the new pictures.
"""

from __future__ import annotations

import pytest
from conftest import make_app, settle
from textual.pilot import Pilot

from flare_tui.books import Books

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_customer_list(snap_compare, demo_books: Books, size) -> None:  # noqa: ANN001
    async def ready(pilot: Pilot[object]) -> None:
        await settle(pilot)

    app = make_app(demo_books.where, demo=True)
    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_customer_detail(snap_compare, demo_books: Books, size) -> None:  # noqa: ANN001
    async def open_emerald(pilot: Pilot[object]) -> None:
        await settle(pilot)
        await pilot.press("slash", "e", "m", "e", "r", "enter")
        await settle(pilot)

    app = make_app(demo_books.where, demo=True)
    assert snap_compare(app, terminal_size=size, run_before=open_emerald)
