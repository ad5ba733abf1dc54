"""Statement PDFs: Markdown pages rendered by markdown-pdf, then finished
with PyMuPDF (page numbers, subset fonts, no links).

markdown-pdf is imported inside `render_statement`, never at start-up: it
costs over half a second. Call it from a worker thread in the TUI.
"""

from __future__ import annotations

import atexit
import functools
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import FlareError
from .filenames import export_path, statement_file_name
from .settings import PAPER_SIZES
from .statement import Statement
from .statement_doc import STATEMENT_CSS, statement_pages
from .text import one_line

#: Our paper size names and PyMuPDF's; an unknown name would hang
#: markdown-pdf, so nothing else reaches it.
_PAPER = {"A4": "A4", "Letter": "letter"}
#: Margins (left, top, right, bottom) in points; the bottom one leaves room
#: for the page number.
_BORDERS = (42, 40, -42, -54)


class PdfError(FlareError):
    """The statement PDF could not be made or written."""

    title = "Cannot make the statement PDF"


@dataclass(frozen=True)
class StatementPdf:
    """A rendered statement: the exact bytes and what they are."""

    data: bytes
    file_name: str
    pages: int
    title: str


_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
_LIGATURE = re.compile(r"f(?=[fil])")


def without_ligatures(markdown: str) -> str:
    """Keep "fi", "fl", "ff" as separate letters in the PDF's text.

    MuPDF always sets them as ligature glyphs, and then copied or extracted
    text reads "ﬁ" (U+FB01) instead of "fi": a customer called Clifford would
    not read back as written. A soft hyphen between the letters stops the
    ligature; it is invisible, extractors drop it, and `hyphens: none` in
    the stylesheet stops MuPDF from breaking a line there. Tags are left as
    they are (user data in them is already escaped, so every tag is ours).
    """
    parts = _TAG_OR_TEXT.split(markdown)
    for index in range(0, len(parts), 2):
        parts[index] = _LIGATURE.sub("f\u00ad", parts[index])
    return "".join(parts)


def check_paper_size(paper_size: str) -> str:
    """The paper size name if we know it (A4 or Letter), else PdfError."""
    for name in PAPER_SIZES:
        if str(paper_size).lower() == name.lower():
            return name
    raise PdfError(
        f"paper size {paper_size!r} is not known: use {' or '.join(PAPER_SIZES)}"
    )


def _pdf_date(moment: datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S")


def render_statement(
    statement: Statement, *, paper_size: str | None = None, now: datetime | None = None
) -> StatementPdf:
    """Render a statement to PDF bytes (A4 or Letter from the book settings)."""
    size = check_paper_size(paper_size or statement.business.paper_size)
    pages = statement_pages(statement, size)

    from markdown_pdf import MarkdownPdf, Section  # lazy: slow to import

    title = one_line(
        f"Statement {statement.customer.name} "
        f"{statement.period.start.isoformat()} to {statement.end.isoformat()}"
    )
    stamp = _pdf_date(now or datetime.now())
    pdf = MarkdownPdf(toc_level=0)
    # MarkdownPdf.meta is one dict shared by every instance, with a creation
    # date fixed at import: each document gets a fresh one.
    pdf.meta = {
        "creationDate": stamp,
        "modDate": stamp,
        "creator": "Flare TUI",
        "producer": "Flare TUI (markdown-pdf, PyMuPDF)",
        "title": title,
        "author": one_line(statement.business.business_name),
        "subject": "Statement of account",
        "keywords": "",
    }
    # Images are only taken from under the section root: an empty folder of
    # our own, so nothing on disk can be pulled into a statement.
    root = _empty_root()
    for text in pages:
        section = Section(
            without_ligatures(text),
            toc=False,
            root=root,
            paper_size=_PAPER[size],
            borders=_BORDERS,
        )
        pdf.add_section(section, user_css=STATEMENT_CSS)
    raw = io.BytesIO()
    pdf.save_bytes(raw)
    data, count = _finish(raw.getvalue())
    return StatementPdf(
        data=data,
        file_name=statement_file_name(statement),
        pages=count,
        title=title,
    )


@functools.cache
def _empty_root() -> str:
    # One private (0700) empty folder per process, removed at exit.
    root = tempfile.mkdtemp(prefix="flare-pdf-root-")
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return root


def _finish(data: bytes) -> tuple[bytes, int]:
    """Number the pages, subset the fonts, drop any link, compact the file."""
    import pymupdf

    doc = pymupdf.open(stream=data, filetype="pdf")
    try:
        total = doc.page_count
        for number, page in enumerate(doc, start=1):
            # Nothing in a statement is a link; remove any that slipped in.
            for link in page.get_links():
                page.delete_link(link)
            rect = page.rect
            label = f"Page {number} of {total}"
            width = pymupdf.get_text_length(label, fontname="helv", fontsize=8)
            page.insert_text(
                ((rect.width - width) / 2, rect.height - 28),
                label,
                fontname="helv",
                fontsize=8,
                color=(0.35, 0.35, 0.35),
                # Under the content: the footer area is empty anyway, and an
                # overlay would first re-parse the whole page (~5 ms a page).
                overlay=False,
            )
        # One CJK glyph embeds a 4 MB font; keep only the glyphs used.
        doc.subset_fonts()
        # garbage=3 drops the unsubset fonts; 4 (deduplicate) costs 4x for nothing.
        return doc.tobytes(garbage=3, deflate=True, deflate_fonts=True), total
    finally:
        doc.close()


def save_statement_pdf(
    statement: Statement,
    destination: str | Path | None = None,
    *,
    exports: str | Path | None = None,
) -> tuple[Path, StatementPdf]:
    """Render and write a statement PDF; returns where it went and the PDF.

    With no destination the file goes into the exports folder under a safe
    name made from the customer and period; a destination that is a folder
    gets the same safe name inside it.
    """
    rendered = render_statement(statement)
    if destination is None:
        target = export_path(rendered.file_name, exports)
    else:
        target = Path(destination).expanduser()
        as_folder = str(destination).endswith(("/", os.sep))
        if as_folder or target.is_dir():
            target = export_path(rendered.file_name, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside, then rename: a half-written statement never appears.
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(rendered.data)
        partial.replace(target)
    except OSError as error:
        raise PdfError(f"cannot write {target}: {error.strerror or error}") from None
    return target, rendered
