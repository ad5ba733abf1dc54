"""Write the measured figures of bench_books.py into BENCHMARKS.md.

Only the block between the Books markers is replaced, so the prose around it
(and the other sections of the file) stay as people wrote them.
"""

from __future__ import annotations

import platform
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

BEGIN = "<!-- books:results -->"
END = "<!-- /books:results -->"

#: (result key, label, target text, passes(value) -> bool, format)
TARGETS = (
    ("import_rows_per_s", "import", "≥ 100,000 rows/s", lambda v: v >= 100_000),
    ("ratio", "customers json / bare SQL", "≤ 1.5×", lambda v: v <= 1.5),
    ("customers_s", "customers json, wall", "< 2 s", lambda v: v < 2),
    ("customers_mb", "customers json, peak RSS", "< 300 MB", lambda v: v < 300),
    ("detail_s", "customer ID (detail)", "< 0.3 s", lambda v: v < 0.3),
    ("statement_s", "statement ID (5,000 lines)", "< 0.3 s", lambda v: v < 0.3),
)


def _shell(command: list[str]) -> str:
    try:
        return subprocess.run(
            command, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def machine() -> list[str]:
    """What the figures were measured on."""
    return [
        f"- date: {datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- cores (`nproc`): {_shell(['nproc'])}",
        f"- CPU: {_cpu_model()}",
        "- memory (`free -h`):",
        "",
        "  ```",
        *("  " + line for line in _shell(["free", "-h"]).splitlines()),
        "  ```",
        "",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
    ]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _values(results: dict) -> dict[str, float]:
    return {
        "import_rows_per_s": results["import"]["rows_per_s"],
        "ratio": results["ratio_customers_json_to_bare"],
        "customers_s": results["customers_json"]["median"],
        "customers_mb": results["customers_json"]["peak_mb"],
        "detail_s": results["customer_detail"]["median"],
        "statement_s": results["statement"]["median"],
    }


def _shown(key: str, value: float) -> str:
    if key == "import_rows_per_s":
        return f"{value:,.0f} rows/s"
    if key == "ratio":
        return f"{value:.2f}×"
    if key.endswith("_mb"):
        return f"{value:.0f} MB"
    return f"{value:.3f} s"


def results_block(results: dict) -> str:
    """The Markdown block of one run: machine, command, figures vs targets."""
    m = results["manifest"]
    imp = results["import"]
    values = _values(results)
    lines = [
        BEGIN,
        "",
        *machine(),
        f"- books: {m['customers']:,} customers, {m['invoices']:,} invoices,"
        f" {m['payments']:,} payments ({m['first_day']} to {m['as_of']},"
        f" seed {m['seed']}); statement customer {m['statement_customer']} with"
        f" {m['statement_lines']:,} lines in {m['statement_from']} to"
        f" {m['statement_to']}",
        f"- command: `{results['command'].strip()}`",
        f"- timings: median of {len(results['bare_sql']['runs'])} runs (best in"
        " brackets); import: median of 3 runs into fresh files",
        "",
        "| what | measured | target | met |",
        "|---|---|---|---|",
    ]
    best = {
        "customers_s": results["customers_json"]["best"],
        "detail_s": results["customer_detail"]["best"],
        "statement_s": results["statement"]["best"],
        "ratio": results["ratio_best"],
    }
    for key, label, target, passes in TARGETS:
        value = values[key]
        shown = _shown(key, value)
        if key in best:
            shown += f" ({_shown(key, best[key])})"
        lines.append(
            f"| {label} | {shown} | {target} | {'yes' if passes(value) else 'NO'} |"
        )
    bare = results["bare_sql"]
    lines += [
        "",
        f"- import: {imp['rows']:,} rows in {imp['seconds']:.1f} s (median; runs:"
        f" {', '.join(f'{w:.1f}' for w in imp.get('runs', []))} s), peak RSS"
        f" {imp['peak_mb']:.0f} MB",
        f"- bare SQL for the list's figures (in process, sqlite3): median"
        f" {bare['median']:.3f} s, best {bare['best']:.3f} s; with its unpaid"
        " pass on a second connection in a thread, as the command does: median"
        f" {results['bare_sql_parallel']['median']:.3f} s (command / that:"
        f" {results['ratio_to_parallel_bare']:.2f}×)",
        "- load average at the end of the run (1, 5, 15 min): "
        + ", ".join(f"{x:.2f}" for x in results["load_average"]),
        f"- peak RSS: detail {results['customer_detail']['peak_mb']:.0f} MB,"
        f" statement {results['statement']['peak_mb']:.0f} MB",
        f"- `flare --help` (process start-up and imports): "
        f"{results['startup_help_s']:.3f} s",
        "- heavy modules imported by `flare customers`: "
        + (", ".join(results["heavy_imports"]) or "none"),
        f"- customers whose JSON figures differ from the bare SQL:"
        f" {results['mismatched_customers']}",
        "",
        END,
    ]
    return "\n".join(lines)


def write_books_section(path: Path, results: dict) -> None:
    """Put the results block into the "## Books" section of BENCHMARKS.md."""
    block = results_block(results)
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    elif "## Books" in text:
        head, rest = text.split("## Books", 1)
        text = head + "## Books\n\n" + block + "\n" + rest.lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n## Books\n\n" + block + "\n"
    path.write_text(text)
