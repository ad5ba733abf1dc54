"""Helpers for driving the app headless: start it on books, let workers end."""

from __future__ import annotations

import io
from contextlib import suppress
from pathlib import Path

from builders import DEMO_AS_OF
from rich.console import Console
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import WorkerFailed

from flare_tui.tui.app import FlareApp
from flare_tui.tui.widgets.customer_table import CustomerTable


def make_app(path: Path | str, demo: bool = False) -> FlareApp:
    """The app on the books at `path`, as of the demo day."""
    return FlareApp(str(path), DEMO_AS_OF, None, demo=demo)


async def settle(pilot: Pilot[object]) -> None:
    """Wait until every worker has finished and its message has been shown.

    A finished worker may have pushed a screen that starts another worker,
    so this goes round a few times instead of sleeping.
    """
    for _ in range(4):
        # A failed worker is the app's to show (a titled dialog); tests check
        # the dialog. Waiting must not depend on whether the failed worker
        # was still registered when we looked.
        with suppress(WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def shown(widget: Static, width: int = 120) -> str:
    """The text a Static or Label shows, as a person would read it."""
    content = widget.content
    if isinstance(content, Text):
        return content.plain
    console = Console(file=io.StringIO(), width=width, color_system=None)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined]


def table_lines(pilot: Pilot[object]) -> list[str]:
    """Every line the customer table draws: header, rows, totals."""
    table = pilot.app.screen.query_one(CustomerTable)
    return [table.render_line(y).text for y in range(table.size.height)]
