"""Twelve fiscal months as side-by-side bars: last year beside this year.

The two years differ by fill character as well as colour (▒ last year, █
this year), so the chart reads the same with NO_COLOR or 16 colours.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual_plotext import PlotextPlot

from ...money import compact

LAST_YEAR_MARK = "▒"
THIS_YEAR_MARK = "█"
#: Last year is light green, as in the seed's chart.
LAST_YEAR_RGB = (144, 238, 144)


def legend(
    last_label: str, this_label: str, compare: bool, primary: tuple[int, int, int]
) -> Text:
    """The chart's key: each year's fill character, colour and name."""
    text = Text(end="")
    if compare:
        text.append(LAST_YEAR_MARK * 2, Style(color=_rich(LAST_YEAR_RGB)))
        text.append(f" {last_label} (last year)   ")
    text.append(THIS_YEAR_MARK * 2, Style(color=_rich(primary)))
    text.append(f" {this_label} (this year)")
    return text


def _rich(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


class YearBars(PlotextPlot):
    """A grouped bar chart of paid per fiscal month, drawn by plotext."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self.labels: Sequence[str] = ()
        self.last: Sequence[int] = ()
        self.this: Sequence[int] = ()
        self.compare = True
        # The last chart drawn and what it was drawn from: plotext rebuilds
        # the whole chart on every render (~10 ms at 80x24, on the UI
        # thread), and a render happens on every repaint of the screen.
        self._drawn: tuple[object, Text] | None = None

    def on_mount(self) -> None:
        """Redraw in the new primary colour when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.replot())

    @property
    def primary(self) -> tuple[int, int, int]:
        """The theme's primary colour, for this year's bars."""
        return Color.parse(self.app.theme_variables["primary"]).rgb

    def show(
        self,
        labels: Sequence[str],
        last: Sequence[int],
        this: Sequence[int],
        compare: bool,
    ) -> None:
        """Draw these months (cents); last year only when `compare`."""
        self.labels, self.last, self.this, self.compare = labels, last, this, compare
        self.replot()

    def render(self) -> Text:
        """The chart, drawn again only when its figures, size or theme change."""
        key = (
            self.size,
            self.app.theme,
            tuple(self.labels),
            tuple(self.last),
            tuple(self.this),
            self.compare,
        )
        if self._drawn is None or self._drawn[0] != key:
            chart = super().render()
            assert isinstance(chart, Text)
            self._drawn = (key, chart)
        return self._drawn[1]

    def replot(self) -> None:
        """Rebuild the plot from the figures held."""
        plt = self.plt
        plt.clear_data()
        if not self.labels:
            self.refresh()
            return
        # Whole currency units: a chart cannot show cents anyway.
        this = [cents // 100 for cents in self.this]
        last = [cents // 100 for cents in self.last]
        if self.compare:
            plt.multiple_bar(
                list(self.labels),
                [last, this],
                marker=[LAST_YEAR_MARK, THIS_YEAR_MARK],
                color=[LAST_YEAR_RGB, self.primary],
            )
        else:
            plt.bar(list(self.labels), this, marker=THIS_YEAR_MARK, color=self.primary)
        top = max([*this, *(last if self.compare else []), 0])
        ticks = [0, top // 2, top] if top else [0]
        plt.yticks(ticks, [compact(t * 100) if t else "0" for t in ticks])
        plt.ylim(0, max(top, 1))
        self.refresh()
