"""`python -m flare_tui` runs the `flare` command line."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
