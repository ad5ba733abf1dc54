"""Reading import files: CSV checks, line numbers and the error report."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FlareError

#: Columns of each file: (required, optional).
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "customers": (("customer_id", "name"), ("email", "phone", "address")),
    "invoices": (
        ("invoice_number", "customer_id", "issue_date", "due_date", "amount"),
        ("description",),
    ),
    "payments": (
        ("payment_id", "customer_id", "date", "amount"),
        ("invoice_number", "method", "reference"),
    ),
}

#: Stop collecting after this many errors; the report says how many more.
MAX_ERRORS = 100

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RowError:
    """One broken rule: where (file, line, column) and what."""

    file: str
    line: int
    column: int
    column_name: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}"
        if self.column:
            where += f":{self.column}"
        name = f" ({self.column_name})" if self.column_name else ""
        return f"{where}{name}: {self.message}"


class ImportFailed(FlareError):
    """The import found errors; nothing was written."""

    title = "Import failed: nothing was written"

    def __init__(self, errors: list[RowError], more: int = 0) -> None:
        self.errors = errors
        self.more = more
        count = len(errors) + more
        super().__init__(
            f"{count} error{'s' if count != 1 else ''} found; nothing was imported"
        )

    def report(self) -> str:
        """Every error on its own line, then how many more were not listed."""
        lines = [str(e) for e in self.errors]
        if self.more:
            lines.append(f"... and {self.more} more errors")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    """How many rows of each kind were written."""

    customers: int
    invoices: int
    payments: int

    @property
    def total(self) -> int:
        """All rows written."""
        return self.customers + self.invoices + self.payments


@dataclass
class ErrorList:
    """Errors found so far, up to MAX_ERRORS; the rest are only counted."""

    items: list[RowError] = field(default_factory=list)
    more: int = 0

    def add(self, file: str, line: int, column: int, name: str, msg: str) -> None:
        if len(self.items) < MAX_ERRORS:
            self.items.append(RowError(file, line, column, name, msg))
        else:
            self.more += 1


class CsvSource:
    """A CSV file read as UTF-8 rows with their starting line numbers."""

    def __init__(self, path: Path, kind: str, errors: ErrorList) -> None:
        self.path = path
        self.kind = kind
        self.name = path.name
        self.errors = errors
        self.columns: dict[str, int] = {}
        self.size = 0

    def open(self) -> Iterator[tuple[int, list[str]]] | None:
        """Check the file and its header; yield (line, row) for each record."""
        loaded = self.load()
        if loaded is None:
            return None
        return self._rows(loaded[1])

    def load(self) -> tuple[bytes, str] | None:
        """The file's bytes and its text, or None (an error is added)."""
        try:
            data = self.path.read_bytes()
        except OSError as error:
            self.errors.add(self.name, 0, 0, "", f"cannot read: {error.strerror}")
            return None
        self.size = len(data)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            self.errors.add(
                self.name,
                line,
                0,
                "",
                "not UTF-8 text (byte "
                f"0x{data[error.start]:02x}); save the file as CSV UTF-8",
            )
            return None
        return data, text

    def header_ok(self, text: str) -> bool:
        """Read and check the header alone (fills `columns`)."""
        return self._rows(text) is not None

    def _rows(self, text: str) -> Iterator[tuple[int, list[str]]] | None:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader)
        except StopIteration:
            self.errors.add(self.name, 1, 0, "", "the file is empty: no header row")
            return None
        except csv.Error as error:
            self.errors.add(self.name, 1, 0, "", f"not valid CSV: {error}")
            return None
        if not self._check_header([h.strip() for h in header]):
            return None
        return self._records(reader)

    def _check_header(self, header: list[str]) -> bool:
        required, optional = COLUMNS[self.kind]
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            sep = next(s for s in ";\t|" if s in header[0])
            shown = {";": "semicolons", "\t": "tabs", "|": "pipes"}[sep]
            self.errors.add(
                self.name,
                1,
                0,
                "",
                f"columns are separated by {shown}; Flare reads comma-separated"
                " CSV (UTF-8) only — export the file again with commas",
            )
            return False
        ok = True
        for index, name in enumerate(header, start=1):
            if name in self.columns:
                self.errors.add(self.name, 1, index, name, "column appears twice")
                ok = False
            elif name not in required and name not in optional:
                allowed = ", ".join(required + optional)
                self.errors.add(
                    self.name,
                    1,
                    index,
                    name,
                    f"unknown column; {self.kind} files have: {allowed}",
                )
                ok = False
            self.columns[name] = index - 1
        for name in required:
            if name not in self.columns:
                self.errors.add(self.name, 1, 0, name, "required column is missing")
                ok = False
        return ok

    def _records(self, reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
        width = len(self.columns)
        line = reader.line_num + 1  # type: ignore[attr-defined]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.errors.add(self.name, line, 0, "", f"not valid CSV: {error}")
                return
            start = line
            line = reader.line_num + 1  # type: ignore[attr-defined]
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line
            if len(row) != width:
                self.errors.add(
                    self.name,
                    start,
                    0,
                    "",
                    f"has {len(row)} fields, the header has {width}",
                )
                continue
            yield start, row
