"""Time the terminal app as a person meets it: in a real pseudo-terminal.

Starts `flare` on big books (see make_books.py) in an 80x24 pty with
TERM=xterm, and measures launch-to-first-rows, a cursor move, a filter
keystroke, opening the detail (the first time, and later customers) and
peak memory. The same run times a bare Textual app (header, 100-row
DataTable, footer) as the yardstick.

    python benchmarks/bench_tui.py --db bench-data/books.sqlite
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from fcntl import ioctl
from pathlib import Path

BASELINE = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header
class Bare(App):
    def compose(self):
        yield Header(); yield DataTable(); yield Footer()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns(*[f"c{i}" for i in range(15)])
        table.add_rows([[f"row {r}"] + [str(r * i) for i in range(14)]
                        for r in range(100)])
Bare().run()
"""

DOWN, ENTER, ESCAPE, BACKSPACE = b"\x1b[B", b"\r", b"\x1b", b"\x7f"


class Terminal:
    """A child process on an 80x24 pseudo-terminal, with its output read."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True
        )
        os.close(slave)
        self.output = b""

    def read(self, timeout: float) -> bytes:
        """Whatever arrives within `timeout` seconds (at least one read)."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return b""
        self.output += chunk
        return chunk

    def wait_for(self, marker: bytes, timeout: float = 60.0) -> float:
        """Seconds until `marker` has been drawn (from now)."""
        start = time.perf_counter()
        seen = len(self.output)
        while time.perf_counter() - start < timeout:
            self.read(0.05)
            if marker in self.output[max(0, seen - len(marker)) :]:
                return time.perf_counter() - start
        raise TimeoutError(f"{marker!r} never appeared")

    def answer_time(self, keys: bytes) -> float:
        """Seconds from sending keys to the first bytes of the new frame."""
        self.drain()
        start = time.perf_counter()
        os.write(self.master, keys)
        while not self.read(5.0):
            pass
        return time.perf_counter() - start

    def drain(self, quiet: float = 0.15) -> None:
        """Read until the screen has been still for `quiet` seconds."""
        while self.read(quiet):
            pass

    def peak_memory_mb(self) -> float:
        """The child's peak resident memory (VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        """Quit the child."""
        self.process.terminate()
        self.process.wait(10)
        os.close(self.master)


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(values, n=20)[-1]


def first_frame_baseline(env: dict[str, str], runs: int) -> list[float]:
    """Launch-to-first-rows of a bare Textual app with a 100-row DataTable."""
    times = []
    for _ in range(runs):
        term = Terminal([sys.executable, "-c", BASELINE], env)
        term.wait_for(b"row 0")
        times.append(time.perf_counter() - term.started)
        term.close()
    return times


def main() -> int:
    """Run the measurements and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="big books (SQLite file)")
    parser.add_argument("--as-of", default="2026-12-03")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--find", default="Emerald", help="a name to filter on")
    parser.add_argument("--reopen", type=int, default=5, help="later details timed")
    args = parser.parse_args()

    env = dict(os.environ, TERM="xterm", COLUMNS="80", LINES="24")
    env.pop("NO_COLOR", None)
    flare = [sys.executable, "-m", "flare_tui", "--db", args.db]
    flare += ["--as-of", args.as_of]

    from flare_tui.books import Books

    books = Books.open(args.db, create=False)
    first = books.find_customers("", limit=1)[0].name[:12].encode()
    total = len(books.find_customers("", limit=10**9))
    books.close()

    baseline = first_frame_baseline(env, args.runs)
    launches, full, memory = [], [], []
    moves: list[float] = []
    keystrokes: list[float] = []
    details: list[float] = []
    reopens: list[float] = []
    for _ in range(args.runs):
        term = Terminal(flare, env)
        term.wait_for(first)
        launches.append(time.perf_counter() - term.started)
        term.wait_for(f"{total:,} shown".encode())
        full.append(time.perf_counter() - term.started)
        # The list's worker goes on to import the detail screen (plotext)
        # off the UI thread; it holds the GIL for ~0.5 s. Measure after it.
        time.sleep(1.0)
        term.drain()
        moves += [term.answer_time(DOWN) for _ in range(30)]
        os.write(term.master, b"/")
        # Type the name, erase it (each erasure widens the filter), type it
        # again: three keystrokes timed per letter.
        for char in args.find.lower():
            keystrokes.append(term.answer_time(char.encode()))
        for _ in args.find:
            keystrokes.append(term.answer_time(BACKSPACE))
        for char in args.find.lower():
            keystrokes.append(term.answer_time(char.encode()))
        os.write(term.master, ENTER)
        term.drain()
        start = time.perf_counter()
        os.write(term.master, ENTER)
        term.wait_for(b"to date")
        details.append(time.perf_counter() - start)
        term.drain()
        # The detail screen is kept once made: later customers only refill
        # it. Back, clear the filter, next customer, open; a few times.
        os.write(term.master, ESCAPE)
        term.drain()
        os.write(term.master, ESCAPE)
        term.drain()
        for _ in range(args.reopen):
            os.write(term.master, DOWN)
            term.drain()
            start = time.perf_counter()
            os.write(term.master, ENTER)
            term.wait_for(b"to date")
            reopens.append(time.perf_counter() - start)
            term.drain()
            os.write(term.master, ESCAPE)
            term.drain()
        memory.append(term.peak_memory_mb())
        term.close()

    base, launch = statistics.median(baseline), statistics.median(launches)
    rows = [
        ("bare Textual app, 100-row DataTable: first frame", f"{base:.2f} s", ""),
        ("flare: first rows of the list", f"{launch:.2f} s", "< 1.0 s"),
        ("  ratio to the bare app", f"{launch / base:.2f}x", "<= 1.6x"),
        ("flare: whole list loaded (worker)", f"{statistics.median(full):.2f} s", ""),
        ("cursor move, p95", f"{p95(moves) * 1000:.0f} ms", "< 50 ms"),
        ("filter keystroke, p95", f"{p95(keystrokes) * 1000:.0f} ms", "< 50 ms"),
        ("open the detail, first, median",
         f"{statistics.median(details) * 1000:.0f} ms", "< 150 ms"),
        ("open the detail, later ones, median",
         f"{statistics.median(reopens) * 1000:.0f} ms", "< 150 ms"),
        ("open the detail, later ones, p95",
         f"{p95(reopens) * 1000:.0f} ms", ""),
        ("peak memory", f"{max(memory):.0f} MB", "< 250 MB"),
    ]  # fmt: skip
    print(f"TUI in a pty, 80x24, TERM=xterm; {total:,} customers; {args.runs} runs")
    print("| measure | result | target |\n|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value} | {target} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
