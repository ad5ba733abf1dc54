"""The footer every screen uses: compact, and rebuilt only when its keys change.

Textual's Footer rebuilds all of its key widgets whenever the bindings may
have changed (focus moves, a screen is shown again): ~20-30 ms of the UI
thread each time on this kind of machine, often to show the same keys.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """A compact footer that is only rebuilt when the keys it shows change."""

    def __init__(self) -> None:
        # Compact: every key of the busiest screen fits at 80 columns.
        super().__init__(compact=True)
        self._shown: tuple[object, ...] | None = None

    def _keys(self) -> tuple[object, ...]:
        """What the footer would show: each key, its words and state."""
        return tuple(
            (key, b.action, b.description, b.key_display, b.group, enabled)
            for key, (_node, b, enabled, _tip) in self.screen.active_bindings.items()
            if b.show or key == self.app.COMMAND_PALETTE_BINDING
        )

    async def recompose(self) -> None:
        """Rebuild the keys, unless they are the ones already shown."""
        keys = self._keys()
        if keys == self._shown and self.children:
            return
        self._shown = keys
        await super().recompose()
