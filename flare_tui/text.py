"""Untrusted text from the user's files, made safe to keep and to show."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include
# the 8-bit CSI and OSC that some terminals obey).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A whole escape sequence (CSI ... final, OSC ... BEL/ST) so no residue
# such as "]0;title" is left behind when ESC itself is removed.
_ESCAPE_SEQ = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
)


def clean_text(value: str | None, *, multiline: bool = True) -> str:
    """Remove terminal escape sequences and control characters.

    Newlines are kept when `multiline` (addresses); CRLF becomes LF.
    """
    if not value:
        return ""
    text = _ESCAPE_SEQ.sub("", value.replace("\r\n", "\n"))
    if multiline:
        return _CONTROL.sub("", text.replace("\r", "\n"))
    return _CONTROL_ONE_LINE.sub(" ", text).strip()


def one_line(value: str | None) -> str:
    """A text for a single-line place (a table cell, a header): no newlines."""
    if value and value.isprintable():
        # The common case, and a hot path of large imports: no control
        # characters (so no escape sequences), and the only whitespace is " ".
        return " ".join(value.split())
    return " ".join(clean_text(value, multiline=False).split())
