"""Logging to a file in the user's state folder; never to the terminal,
where it would corrupt the app's screen."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from platformdirs import user_log_dir

from .db import APP_NAME


def log_path() -> Path:
    """The log file: $FLARE_LOG if set, else flare.log in the user log folder."""
    override = os.environ.get("FLARE_LOG")
    return Path(override) if override else Path(user_log_dir(APP_NAME)) / "flare.log"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send Flare's log records to the log file (rotated at 1 MB).

    Returns the file, or None when it cannot be written (logging then stays
    silent rather than failing the command).
    """
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        logging.getLogger("flare_tui").addHandler(logging.NullHandler())
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    logger = logging.getLogger("flare_tui")
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False
    return path
