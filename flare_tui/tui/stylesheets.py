"""Where the app's Textual stylesheets live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

STYLESHEETS = (
    "app.tcss",
    "customers.tcss",
    "detail.tcss",
    "dialogs.tcss",
    "reports.tcss",
)


def styles_folder() -> Path:
    """The folder of .tcss files.

    A wheel ships them as flare_tui/styles (pyproject force-include); a source
    checkout keeps them in styles/ at the top of the repository.
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "styles", package.parent / "styles"):
        if (candidate / STYLESHEETS[0]).is_file():
            return candidate
    raise FileNotFoundError(f"no Flare stylesheets next to {package}")


def stylesheet_paths() -> list[Path]:
    """Every stylesheet the app loads, in order."""
    folder = styles_folder()
    return [folder / name for name in STYLESHEETS]
