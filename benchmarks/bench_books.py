"""Time the books on large generated data through the real `flare` command.

Generates books with make_books.py (once per size, kept under bench-data/),
imports them into a fresh SQLite file with `flare import`, then times
`flare customers --format json`, `flare customer ID` and `flare statement ID`
as subprocesses (wall time and peak memory), and in the same run the bare SQL
that computes the customer list's figures (sqlite3 module, no ORM). The CLI's
JSON is checked against the bare query, figure for figure.

    .venv/bin/python benchmarks/bench_books.py            # full size
    .venv/bin/python benchmarks/bench_books.py --customers 2000 --invoices 100000
    .venv/bin/python benchmarks/bench_books.py --write-md  # update BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_report import write_books_section  # noqa: E402
from make_books import generate  # noqa: E402

#: Modules `flare customers` must never import: they cost start-up time.
HEAVY = ("textual", "markdown_pdf", "yagmail", "pymupdf", "fitz", "plotext")


@dataclass(frozen=True)
class Timing:
    """Wall seconds and peak memory of one thing timed over several runs."""

    name: str
    runs: tuple[float, ...]
    peak_mb: float = 0.0  # largest peak RSS over the runs (0: in process)

    @property
    def best(self) -> float:
        """The fastest run."""
        return min(self.runs)

    @property
    def median(self) -> float:
        """The median run."""
        return statistics.median(self.runs)


def flare_command() -> list[str]:
    """The installed `flare` console script next to this Python."""
    script = Path(sys.executable).with_name("flare")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "flare_tui"]


def run_measured(argv: list[str]) -> tuple[float, float, bytes]:
    """Run a command; return its wall seconds, peak RSS in MB and stdout.

    Linux keeps a process's peak RSS across fork and exec, so a child forked
    from this (large) process would report our peak; /usr/bin/time, a small
    process, starts the command and reports the command's own (%M, KB).
    """
    timer = Path("/usr/bin/time")
    with tempfile.TemporaryFile() as out, tempfile.NamedTemporaryFile() as rss:
        wrapped = [str(timer), "-f", "%M", "-o", rss.name, *argv]
        start = time.perf_counter()
        done = subprocess.run(
            wrapped if timer.exists() else argv, stdout=out, stderr=subprocess.PIPE
        )
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(
                f"{' '.join(argv)} failed ({done.returncode}):\n"
                + done.stderr.decode(errors="replace")
            )
        out.seek(0)
        text = Path(rss.name).read_text().strip() if timer.exists() else ""
        peak = int(text.splitlines()[-1]) / 1024 if text else 0.0
        return wall, peak, out.read()


def _fetch(db_path: Path, sql: str, params: dict) -> list:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def bare_list_figures(
    db_path: Path, as_of: date, parallel: bool = False
) -> dict[str, tuple]:
    """The customer list's figures by plain SQL: paid per month and unpaid.

    Fiscal year starts in January. Returns customer id -> (12 months, this
    year, last year, last year to date, unpaid count, unpaid total), cents.
    The query shapes are the fastest found (see BENCHMARKS.md), so the ratio
    to `flare customers` measures what the command adds.
    """
    year = as_of.year
    try:
        last_day = as_of.replace(year=year - 1)
    except ValueError:  # 29 February
        last_day = date(year - 1, 2, 28)
    # This year: "paid before month k+1" running totals, one test per row
    # and month; last year: one total and one to-date test.
    running = ", ".join(
        f"SUM(CASE WHEN date < '{year}-{m + 1:02d}-01' THEN amount ELSE 0 END)"
        for m in range(1, 12)
    )
    this_sql = (
        f"SELECT customer_id, {running}, SUM(amount) FROM payment"
        " WHERE date >= :fy AND date <= :day GROUP BY customer_id"
    )
    last_sql = (
        "SELECT customer_id, SUM(amount),"
        " SUM(CASE WHEN date <= :last_day THEN amount ELSE 0 END)"
        " FROM payment WHERE date >= :last AND date < :fy GROUP BY customer_id"
    )
    # settled_on (the day an invoice's applied payments covered it) lets
    # the query skip settled invoices without adding up their payments.
    unpaid_sql = (
        "SELECT i.customer_id, COUNT(*), SUM(i.amount - MIN(i.amount,"
        " COALESCE((SELECT SUM(p.amount) FROM payment p"
        "  WHERE p.invoice_id = i.id AND p.date <= :day), 0)))"
        " FROM invoice i WHERE i.issue_date <= :day"
        " AND (i.settled_on IS NULL OR i.settled_on > :day)"
        " GROUP BY +i.customer_id"
    )
    params = {
        "fy": f"{year}-01-01",
        "last": f"{year - 1}-01-01",
        "last_day": last_day.isoformat(),
        "day": as_of.isoformat(),
    }
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        unpaid_rows: list = []
        if parallel:
            # As `flare customers` does: the unpaid pass on a second
            # connection in a thread, so both cores work.
            worker = threading.Thread(
                target=lambda: unpaid_rows.extend(_fetch(db_path, unpaid_sql, params))
            )
            worker.start()
        this = {r[0]: r[1:] for r in conn.execute(this_sql, params)}
        last = {r[0]: r[1:] for r in conn.execute(last_sql, params)}
        if parallel:
            worker.join()
        else:
            unpaid_rows = conn.execute(unpaid_sql, params).fetchall()
        unpaid = {r[0]: r[1:] for r in unpaid_rows}
        result = {}
        for row_id, code in conn.execute("SELECT id, customer_id FROM customer"):
            run = this.get(row_id, (0,) * 12)
            months = tuple(b - a for a, b in zip((0, *run[:11]), run, strict=True))
            paid_last, last_to_date = last.get(row_id, (0, 0))
            count, total = unpaid.get(row_id, (0, 0))
            result[code] = (
                months, run[11], paid_last, last_to_date, count, total
            )  # fmt: skip
        return result
    finally:
        conn.close()


def cents(text: str) -> int:
    """A JSON money string ("1024.50") as cents."""
    whole, _, frac = text.partition(".")
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((frac or "0").ljust(2, "0")))


def check_against_bare(payload: bytes, bare: dict[str, tuple]) -> int:
    """How many customers' figures in the CLI's JSON differ from the bare SQL."""
    rows = json.loads(payload)["customers"]
    if len(rows) != len(bare):
        return abs(len(rows) - len(bare)) or 1
    wrong = 0
    for row in rows:
        shown = (
            tuple(cents(m) for m in row["paid_by_month"]),
            cents(row["paid_this_year"]),
            cents(row["paid_last_year"]),
            cents(row["paid_last_year_to_date"]),
            row["unpaid_invoices"],
            cents(row["unpaid_total"]),
        )
        wrong += shown != bare.get(row["customer_id"])
    return wrong


def heavy_imports(args: list[str]) -> list[str]:
    """Modules of HEAVY that `flare ARGS` imports (seen by python -X importtime)."""
    base = flare_command()
    script = base[1:] if base[0] == sys.executable else base
    cmd = [sys.executable, "-X", "importtime", *script, *args]
    done = subprocess.run(cmd, capture_output=True, check=True)
    found = set()
    for line in done.stderr.decode(errors="replace").splitlines():
        top = line.rsplit("|", 1)[-1].strip().split(".")[0]
        if top in HEAVY:
            found.add(top)
    return sorted(found)


def ensure_books(args: argparse.Namespace) -> tuple[Path, dict]:
    """Generate the CSV books for this size unless they are already there."""
    folder = args.data / f"books-{args.customers}-{args.invoices}-s{args.seed}"
    manifest = folder / "manifest.json"
    if not manifest.exists() or args.regenerate:
        start = time.perf_counter()
        generate(
            folder, seed=args.seed, customers=args.customers, invoices=args.invoices
        )
        print(f"generated {folder} in {time.perf_counter() - start:.1f} s")
    return folder, json.loads(manifest.read_text())


def main(argv: list[str] | None = None) -> None:
    """Generate, import, time, compare, report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5, help="runs of each timing")
    parser.add_argument("--data", type=Path, default=ROOT / "bench-data")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--write-md", action="store_true", help="update the Books section"
    )
    args = parser.parse_args(argv)

    folder, manifest = ensure_books(args)
    as_of = manifest["as_of"]
    big = manifest["statement_customer"]
    db = args.data / f"books-{args.customers}-{args.invoices}-s{args.seed}.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    flare = flare_command() + ["--db", str(db)]

    rows = manifest["customers"] + manifest["invoices"] + manifest["payments"]
    files = [f"--{k}={folder / f'{k}.csv'}" for k in ("customers", "invoices")]
    files.append(f"--payments={folder / 'payments.csv'}")
    # The import is timed three times into fresh files (the disk is shared,
    # and one run can be off by half); the books of the last one are kept.
    walls, peaks = [], []
    for _ in range(3):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        wall, peak, _ = run_measured(flare + ["import", *files])
        walls.append(wall)
        peaks.append(peak)
    wall, peak = statistics.median(walls), max(peaks)
    results: dict = {
        "import": {"seconds": wall, "rows": rows, "rows_per_s": rows / wall,
                   "peak_mb": peak, "runs": walls},
    }  # fmt: skip
    print(f"import: {rows:,} rows in {wall:.2f} s = {rows / wall:,.0f} rows/s,"
          f" peak {peak:.0f} MB")  # fmt: skip

    commands = {
        "customers_json": ["customers", "--format", "json", "--as-of", as_of],
        "customer_detail": ["customer", big, "--as-of", as_of],
        "statement": [
            "statement", big, "--preset", "this-fiscal-year", "--as-of", as_of
        ],
    }  # fmt: skip
    names = [*commands, "bare_sql", "bare_sql_parallel"]
    runs: dict[str, list[float]] = {name: [] for name in names}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    mismatches = 0
    bare: dict[str, tuple] = {}
    # Interleaved, so the bare query and the command see the same machine.
    for _ in range(args.runs):
        start = time.perf_counter()
        bare = bare_list_figures(db, date.fromisoformat(as_of))
        runs["bare_sql"].append(time.perf_counter() - start)
        start = time.perf_counter()
        bare_list_figures(db, date.fromisoformat(as_of), parallel=True)
        runs["bare_sql_parallel"].append(time.perf_counter() - start)
        for name, command in commands.items():
            wall, peak, out = run_measured(flare + command)
            runs[name].append(wall)
            peaks[name] = max(peaks[name], peak)
            if name == "customers_json":
                mismatches += check_against_bare(out, bare)
            if name == "statement" and b"\n" in out:
                results["statement_output_lines"] = out.count(b"\n")
    wall, _, _ = run_measured(flare_command() + ["--help"])
    results["startup_help_s"] = wall

    timings = [Timing(n, tuple(r), peaks.get(n, 0.0)) for n, r in runs.items()]
    for t in timings:
        results[t.name] = asdict(t) | {"best": t.best, "median": t.median}
    by_name = {t.name: t for t in timings}
    ratio = by_name["customers_json"].median / by_name["bare_sql"].median
    results["ratio_customers_json_to_bare"] = ratio
    results["ratio_best"] = by_name["customers_json"].best / by_name["bare_sql"].best
    results["ratio_to_parallel_bare"] = (
        by_name["customers_json"].median / by_name["bare_sql_parallel"].median
    )
    results["load_average"] = os.getloadavg()
    results["mismatched_customers"] = mismatches
    results["heavy_imports"] = heavy_imports(
        ["--db", str(db), *commands["customers_json"]]
    )
    results["manifest"] = manifest
    results["command"] = "python benchmarks/bench_books.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )

    for t in timings:
        print(f"{t.name:16} median {t.median:.3f} s  best {t.best:.3f} s"
              f"  peak {t.peak_mb:.0f} MB")  # fmt: skip
    print(f"customers json / bare SQL: {ratio:.2f}x (median)")
    print(f"figures differing from the bare SQL: {mismatches}")
    print(f"heavy modules imported by `flare customers`: {results['heavy_imports']}")
    out = args.data / f"results-{args.customers}-{args.invoices}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"results in {out}")
    if args.write_md:
        write_books_section(ROOT / "BENCHMARKS.md", results)


if __name__ == "__main__":
    main()
