"""The base of every full screen: its workers' failures reach the app.

Textual posts `Worker.StateChanged` to the node that started the worker and
the message does not bubble, so the app never sees a screen's failing query.
Every screen that runs workers derives from `FlareScreen`, which hands the
failure to the app's one error dialog.
"""

from __future__ import annotations

from typing import Protocol, TypeVar, runtime_checkable

from textual.screen import Screen
from textual.worker import Worker, WorkerState

ResultT = TypeVar("ResultT")


@runtime_checkable
class ReportsFailures(Protocol):
    """An app that shows a worker's failure to the user as a titled dialog."""

    def report_failure(self, error: BaseException) -> None:
        """Show `error` in a titled error dialog."""


class FlareScreen(Screen[ResultT]):
    """A screen whose failed workers open the app's titled error dialog."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker of this screen failed: tell the user, then the screen."""
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        app = self.app
        if isinstance(app, ReportsFailures):
            app.report_failure(event.worker.error)
        self.worker_failed(event.worker)

    def worker_failed(self, worker: Worker[object]) -> None:
        """Override to stop saying "Loading…" when the worker failed."""
