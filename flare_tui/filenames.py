"""Safe file names for exported statements, kept inside the exports folder.

A customer's name is user data: `../../x`, `a/b`, NUL or `CON` must not
turn into a path outside the folder or a file Windows refuses to open.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_documents_dir

from .errors import InputError

if TYPE_CHECKING:
    from .statement import Statement

#: Names Windows reserves for devices, with or without an extension.
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"COM{i}" for i in "123456789¹²³"]
    + [f"LPT{i}" for i in "123456789¹²³"]
)
_UNSAFE = re.compile(r"[^\w.-]+")
_RUNS = re.compile(r"[-_.]{2,}")
#: Bytes of UTF-8 kept from one part of a name (file systems allow 255).
_PART_BYTES = 60


def exports_folder() -> Path:
    """Where statements go: $FLARE_EXPORTS, else "Flare statements" in the
    user's documents folder."""
    configured = os.environ.get("FLARE_EXPORTS")
    if configured:
        return Path(configured).expanduser()
    return Path(user_documents_dir()) / "Flare statements"


def _truncate_utf8(text: str, limit: int) -> str:
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore")


def safe_part(value: str, fallback: str = "x") -> str:
    """One piece of a file name: letters, digits, `-`, `_` and inner dots only.

    Separators, NUL, control characters and other symbols become `-`;
    leading and trailing dots and dashes go, so `..` cannot survive.
    """
    text = unicodedata.normalize("NFKC", value)
    text = _UNSAFE.sub("-", text)
    text = _RUNS.sub("-", text).strip("-._")
    text = _truncate_utf8(text, _PART_BYTES).strip("-._")
    return text or fallback


def safe_file_name(*parts: str, suffix: str = ".pdf") -> str:
    """Join parts into a safe file name that is never a reserved device name."""
    stem = "_".join(safe_part(part) for part in parts)
    if stem.split(".")[0].upper() in WINDOWS_RESERVED:
        stem = "_" + stem
    return stem + suffix


def statement_file_name(statement: Statement) -> str:
    """statement_<id>_<name>_<from>_<to>.pdf for a statement."""
    return safe_file_name(
        "statement",
        statement.customer.customer_id,
        statement.customer.name,
        statement.period.start.isoformat(),
        statement.end.isoformat(),
    )


def export_path(file_name: str, folder: str | Path | None = None) -> Path:
    """The path of `file_name` inside the exports folder; refuses to leave it."""
    base = Path(folder).expanduser() if folder is not None else exports_folder()
    base = base.resolve()
    suffix = Path(file_name).suffix
    if not re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix):
        suffix = ""
    name = safe_file_name(Path(file_name).stem, suffix=suffix)
    target = (base / name).resolve()
    if target.parent != base:
        raise InputError(f"{file_name!r} would leave the exports folder {base}")
    return target
