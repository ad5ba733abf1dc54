"""Statement PDFs read back as a person would: text extracted with PyMuPDF,
every line, amount and total, hostile names exactly as written, no links,
page numbers, repeated table headers, paper size, safe file names."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pymupdf
import pytest
from builders import DEMO_AS_OF

from flare_tui.books import Books
from flare_tui.filenames import WINDOWS_RESERVED, export_path, safe_file_name
from flare_tui.money import money
from flare_tui.pdf import PdfError, render_statement, save_statement_pdf
from flare_tui.periods import custom_period, resolve_preset

HOSTILE = (
    "Acme | Pipes *Ltd*",
    "<b>Bold</b>",
    "[x](file:///etc/passwd)",
    "山田商店",
    # Letters MuPDF would otherwise set as the ligatures ﬀ, ﬁ, ﬂ, ﬃ.
    "Clifford & Staffield Office Flowers",
)


# Ligatures are kept as they are when reading back: a statement must hold
# "fi" as two letters, not "ﬁ", for copy, search and pdftotext alike.
FLAGS = pymupdf.TEXTFLAGS_TEXT


def _text(data: bytes) -> tuple[list[str], pymupdf.Document]:
    doc = pymupdf.open(stream=data, filetype="pdf")
    return [page.get_text(flags=FLAGS) for page in doc], doc


def _no_links(doc: pymupdf.Document) -> None:
    for page in doc:
        assert page.get_links() == []
        assert list(page.annots()) == []


def test_demo_statement_reads_back_every_line_and_total(demo_books: Books) -> None:
    period = resolve_preset("this-fiscal-year", DEMO_AS_OF)
    statement = demo_books.statement("C0001", period, DEMO_AS_OF)
    pages, doc = _text(render_statement(statement).data)
    text = "\n".join(pages)
    symbol = statement.business.currency_symbol

    assert statement.lines, "the demo statement should have lines"
    for line in statement.lines:
        assert line.reference in text
        amount = line.debit or line.credit
        assert money(amount, symbol) in text
        assert money(line.balance, symbol) in text
        assert line.date.isoformat() in text
    for figure in (
        statement.opening_balance,
        statement.total_invoiced,
        statement.total_paid,
        statement.closing_balance,
        *statement.aging.as_tuple(),
    ):
        assert money(figure, symbol) in text
    for word in ("Opening balance", "Closing balance", "Aging at", "Current"):
        assert word in text
    assert statement.business.business_name in text
    assert statement.customer.name in text
    assert f"{period.start.isoformat()} to {statement.end.isoformat()}" in text
    assert "Page 1 of" in pages[0]
    _no_links(doc)


def _one_customer(make_books: Callable[..., Books], name: str, lines: int) -> Books:
    invoices = [
        (f"INV-{i:05d}", "C1", f"2026-{1 + i % 12:02d}-05", "2026-12-31", "12.34")
        for i in range(lines)
    ]
    books = make_books([("C1", name, "c1@example.com", "", "1 Road\nTown")], invoices)
    return books


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_print_exactly_and_do_not_shift_columns(
    make_books: Callable[..., Books], name: str
) -> None:
    books = _one_customer(make_books, name, 3)
    # The same text as an invoice description lands inside the table.
    books.db.execute_sql("UPDATE invoice SET description = ?", (name,))
    statement = books.statement(
        "C1", custom_period("2026-01-01", "2026-12-31"), date(2026, 12, 3)
    )
    pages, doc = _text(render_statement(statement).data)
    text = "\n".join(pages)
    assert name in text
    assert f"Invoice — {name}" in text
    _no_links(doc)

    # The balance of each row sits in the right-hand column, not shifted.
    page = doc[0]
    width = page.rect.width
    words = page.get_text("words", flags=FLAGS)
    for line in statement.lines:
        ref = [w for w in words if w[4] == line.reference]
        assert ref, line.reference
        row_y = ref[0][1]
        same_row = [w for w in words if abs(w[1] - row_y) < 2]
        assert same_row[-1][4] == money(line.balance)
        assert same_row[-1][0] > width * 0.8


def test_long_statement_repeats_header_numbers_pages(
    make_books: Callable[..., Books],
) -> None:
    books = _one_customer(make_books, "Long Ledger Ltd", 180)
    statement = books.statement(
        "C1", custom_period("2026-01-01", "2026-12-31"), date(2026, 12, 3)
    )
    rendered = render_statement(statement)
    pages, doc = _text(rendered.data)
    assert rendered.pages == len(pages) > 2
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        if number > 1:
            assert "(continued)" in text
    # Every page with activity rows starts them with the column headings.
    for text in pages:
        if "INV-" in text and "Outstanding invoices" not in text:
            assert "Reference" in text and "Balance" in text
    joined = "\n".join(pages)
    for line in statement.lines:
        assert joined.count(line.reference) >= 1
    assert money(statement.closing_balance) in pages[-1]


def test_paper_size_from_settings_and_validated(
    make_books: Callable[..., Books],
) -> None:
    books = _one_customer(make_books, "Paper Co", 2)
    period = custom_period("2026-01-01", "2026-12-31")
    books.update_settings(paper_size="Letter")
    statement = books.statement("C1", period, date(2026, 12, 3))
    doc = pymupdf.open(stream=render_statement(statement).data, filetype="pdf")
    assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (612, 792)
    a4 = render_statement(statement, paper_size="A4").data
    doc = pymupdf.open(stream=a4, filetype="pdf")
    assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (595, 842)
    with pytest.raises(PdfError, match="paper size"):
        render_statement(statement, paper_size="A5")


def test_title_and_author_per_document_and_fonts_subset(
    make_books: Callable[..., Books],
) -> None:
    books = make_books(
        [("C1", "山田商店"), ("C2", "Second Customer")],
        [("I1", "C1", "2026-02-01", "2026-03-01", "10.00")],
    )
    books.update_settings(business_name="Northwind & Co")
    period = custom_period("2026-01-01", "2026-12-31")
    first = render_statement(books.statement("C1", period, date(2026, 12, 3)))
    second = render_statement(books.statement("C2", period, date(2026, 12, 3)))
    meta1 = pymupdf.open(stream=first.data, filetype="pdf").metadata
    meta2 = pymupdf.open(stream=second.data, filetype="pdf").metadata
    assert "山田商店" in meta1["title"] and "Second Customer" in meta2["title"]
    assert meta1["author"] == meta2["author"] == "Northwind & Co"
    # A CJK name embeds a multi-megabyte font unless it is subset.
    assert len(first.data) < 250_000


def test_markdown_pdf_is_not_imported_by_the_domain() -> None:
    code = (
        "import sys, flare_tui.pdf, flare_tui.send, flare_tui.batch,"
        " flare_tui.cli.mail_commands;"
        " print('markdown_pdf' in sys.modules, 'yagmail' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "hostile",
    [
        "../../etc/passwd",
        "a/b\\c",
        "nul\x00byte",
        "..",
        "",
        "CON",
        "con.txt",
        "LPT1",
        " .hidden",
        "x" * 500,
        "山田商店",
    ],
)
def test_safe_file_names_stay_in_the_exports_folder(
    tmp_path: Path, hostile: str
) -> None:
    name = safe_file_name(hostile, suffix=".pdf")
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert name.split(".")[0].upper() not in WINDOWS_RESERVED
    assert len(name.encode()) < 255
    path = export_path(name, tmp_path)
    assert path.parent == tmp_path.resolve()
    # Even a raw hostile name given as the file name cannot leave the folder.
    assert export_path(hostile + ".pdf", tmp_path).parent == tmp_path.resolve()


def test_save_statement_pdf_writes_exact_bytes(
    make_books: Callable[..., Books], tmp_path: Path
) -> None:
    books = _one_customer(make_books, "../../Escape Artist", 2)
    statement = books.statement(
        "C1", custom_period("2026-01-01", "2026-12-31"), date(2026, 12, 3)
    )
    path, rendered = save_statement_pdf(statement, exports=tmp_path)
    assert path.parent == tmp_path.resolve()
    assert path.read_bytes() == rendered.data
    assert path.name.startswith("statement_C1_Escape-Artist_2026-01-01")
