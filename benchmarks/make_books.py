"""Generate large, deterministic benchmark books as the three import CSV files.

The same seed and options always give byte-identical files. The books span
three fiscal years (January start) ending at the as-of day, with customers
that grow, lapse or start late, partial payments, overpayments, payments that
name no invoice, and unpaid invoices in every aging bucket. One customer, the
"statement customer", has exactly `--statement-lines` statement lines in the
current fiscal year up to as-of, for timing `flare statement`.

    python benchmarks/make_books.py --out bench-data/books
    python benchmarks/make_books.py --out /tmp/small --customers 2000 \
        --invoices 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST = (
    "Emerald", "Ångström", "Zoë", "Łukasz", "Björn", "Chloé", "Dmitri", "Aiko",
    "Núria", "Søren", "Priya", "Kwame", "Hélène", "Mateo", "Yusuf", "Ingrid",
    "Oisín", "Renée", "Tomás", "Wei",
)  # fmt: skip
LAST = (
    "Chiang", "Müller", "O'Brien", "Nguyễn", "García", "Kowalski", "Dubois",
    "Svensson", "Okafor", "Tanaka", "Rossi", "Ørsted", "Haddad", "Novák",
    "Fernández", "Smith", "Öztürk", "Papadopoulos", "Lindqvist", "Moreau",
)  # fmt: skip
TRADE = (
    "Bakery", "Plumbing", "Design", "Consulting", "Garage", "Florist", "Café",
    "Joinery", "Print Shop", "Studio", "Catering", "Electrical", "Books",
)  # fmt: skip
SUFFIX = ("Ltd", "& Sons", "GmbH", "S.A.", "Co.", "& Partners", "LLC", "")
METHODS = ("transfer", "card", "cheque", "cash", "direct debit")
TERMS = (14, 30, 30, 30, 45, 60)
WORK = ("Services", "Supplies", "Maintenance", "Repairs", "Delivery", "Hours")


@dataclass(frozen=True)
class Manifest:
    """What was generated, for the benchmark script and for people."""

    seed: int
    as_of: str
    first_day: str
    customers: int
    invoices: int
    payments: int
    statement_customer: str
    statement_lines: int
    statement_from: str
    statement_to: str


def cents_text(cents: int) -> str:
    """Cents as a plain CSV amount: 1024.50."""
    return f"{cents // 100}.{cents % 100:02d}"


def customer_name(rng: random.Random, index: int) -> str:
    """A business or person name with accents and symbols now and then."""
    if index % 3 == 0:
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    name = f"{rng.choice(LAST)} {rng.choice(TRADE)} {rng.choice(SUFFIX)}".strip()
    return name + f" #{index}" if index % 97 == 0 else name


class Generator:
    """Builds the rows of one set of books in memory, then writes them out."""

    def __init__(self, seed: int, as_of: date, customers: int, invoices: int):
        self.rng = random.Random(seed)
        self.seed = seed
        self.as_of = as_of
        self.first_day = date(as_of.year - 2, 1, 1)
        self.span = (as_of - self.first_day).days + 1
        # Day offsets to ISO text, with room for payments after due dates.
        self.days = [
            (self.first_day + timedelta(days=n)).isoformat()
            for n in range(self.span + 200)
        ]
        self.n_customers = customers
        self.n_invoices = invoices
        self.customer_rows: list[tuple[str, ...]] = []
        # (issue offset, customer id, due offset, cents)
        self.invoices: list[tuple[int, str, int, int]] = []
        # (date offset, customer id, cents, invoice number or "")
        self.payments: list[tuple[int, str, int, str]] = []

    # -- customers ---------------------------------------------------------

    def make_customers(self) -> tuple[list[str], list[float], list[tuple[int, int]]]:
        """Customer rows, their weights and active windows (day offsets)."""
        rng = self.rng
        codes, weights, windows = [], [], []
        this_year = (date(self.as_of.year, 1, 1) - self.first_day).days
        for index in range(2, self.n_customers + 2):
            code = f"C{index:06d}"
            name = customer_name(rng, index)
            email = f"accounts{index}@example.test" if index % 4 else ""
            phone = f"+44 20 7946 {index % 10000:04d}" if index % 5 == 0 else ""
            address = ""
            if index % 2:
                address = f"{index} High Street\nUnit {index % 40 + 1}\nSpringfield"
            self.customer_rows.append((code, name, email, phone, address))
            kind = rng.random()
            if kind < 0.12:  # lapsed: stopped buying before this fiscal year
                window = (0, rng.randrange(200, this_year))
            elif kind < 0.27:  # new: started in the last 18 months
                window = (rng.randrange(self.span - 540, self.span - 30), self.span)
            else:
                window = (0, self.span)
            codes.append(code)
            weights.append(rng.paretovariate(1.6))
            windows.append(window)
        return codes, weights, windows

    # -- invoices and payments -----------------------------------------------

    def make_ordinary(self) -> None:
        """Invoices of ordinary customers and the payments they made."""
        rng = self.rng
        codes, weights, windows = self.make_customers()
        cum, total = [], 0.0
        for weight in weights:
            total += weight
            cum.append(total)
        picks = rng.choices(range(len(codes)), cum_weights=cum, k=self.n_invoices)
        as_of_n = self.span - 1
        pay = self.payments.append
        for pick in picks:
            lo, hi = windows[pick]
            day = lo + int(rng.random() * (hi - lo))
            code = codes[pick]
            due = day + rng.choice(TERMS)
            cents = rng.randrange(2_000, 500_000)
            number_index = len(self.invoices)
            self.invoices.append((day, code, due, cents))
            number = f"INV-{number_index + 1:07d}"
            fate = rng.random()
            if fate < 0.06:  # never paid (feeds every aging bucket)
                continue
            if fate < 0.12:  # paid in two parts, the second maybe not yet
                first = cents * rng.randrange(30, 71) // 100
                when = day + rng.randrange(0, 40)
                if when <= as_of_n:
                    pay((when, code, first, number))
                when += rng.randrange(5, 90)
                if when <= as_of_n:
                    pay((when, code, cents - first, number))
                continue
            when = day + max(0, int(rng.gauss(due - day, 12)))
            if when > as_of_n:
                continue
            if fate < 0.125:  # overpaid: the excess is credit on account
                pay((when, code, cents + rng.randrange(100, 5_000), number))
            else:
                pay((when, code, cents, number))
        # Payments that name no invoice: credit on account.
        for _ in range(self.n_invoices // 33):
            pick = rng.choices(range(len(codes)), cum_weights=cum)[0]
            lo, hi = windows[pick]
            day = lo + int(rng.random() * (hi - lo))
            pay((day, codes[pick], rng.randrange(1_000, 100_000), ""))

    def make_statement_customer(self, lines: int) -> tuple[str, int, int]:
        """A customer with exactly `lines` statement lines this fiscal year.

        Returns its id and the first and last day offsets of the period.
        """
        rng = self.rng
        code = "C000001"
        self.customer_rows.insert(
            0,
            (
                code,
                "Émeraude Wholesale & Co. — «Big Statement»",
                "ledger@emeraude.example.test",
                "+33 1 23 45 67 89",
                "12 Rue de la Paix\n75002 Paris",
            ),
        )
        start = (date(self.as_of.year, 1, 1) - self.first_day).days
        end = self.span - 1
        in_period = 0

        # Two earlier years of history give the statement an opening balance.
        for _ in range(600):
            day = rng.randrange(0, start)
            cents = rng.randrange(5_000, 300_000)
            number = self._add_invoice(day, code, day + 30, cents)
            when = day + rng.randrange(10, 50)
            if rng.random() < 0.9 and when < start:
                self.payments.append((when, code, cents, number))

        # This year: invoices spread over the period; most paid, some in
        # parts, a fifth left open so every aging bucket has something.
        invoice_count = lines // 2
        for _ in range(invoice_count):
            day = rng.randrange(start, end + 1)
            cents = rng.randrange(5_000, 300_000)
            number = self._add_invoice(day, code, day + 30, cents)
            in_period += 1
            fate = rng.random()
            if fate < 0.2:
                continue
            if fate < 0.3:  # a partial payment
                cents = cents * rng.randrange(20, 80) // 100
            when = day + rng.randrange(0, 60)
            if when <= end and in_period < lines:
                self.payments.append((when, code, cents, number))
                in_period += 1
        # Fill up to the exact count with payments naming no invoice.
        while in_period < lines:
            day = rng.randrange(start, end + 1)
            self.payments.append((day, code, rng.randrange(1_000, 50_000), ""))
            in_period += 1
        return code, start, end

    def _add_invoice(self, day: int, code: str, due: int, cents: int) -> str:
        self.invoices.append((day, code, due, cents))
        return f"INV-{len(self.invoices):07d}"

    # -- output ----------------------------------------------------------------

    def write(self, out: Path, manifest: Manifest) -> None:
        """Write customers.csv, invoices.csv, payments.csv and manifest.json."""
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "customers.csv", "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(("customer_id", "name", "email", "phone", "address"))
            writer.writerows(self.customer_rows)

        days, rng = self.days, self.rng
        with open(out / "invoices.csv", "w", encoding="utf-8") as f:
            f.write(
                "invoice_number,customer_id,issue_date,due_date,amount,description\n"
            )
            chunk = []
            for n, (day, code, due, cents) in enumerate(self.invoices, start=1):
                what = WORK[n % len(WORK)]
                chunk.append(
                    f"INV-{n:07d},{code},{days[day]},{days[due]},"
                    f"{cents_text(cents)},{what} {days[day][:7]}\n"
                )
                if len(chunk) >= 10_000:
                    f.write("".join(chunk))
                    chunk.clear()
            f.write("".join(chunk))

        # Payments are written in date order, numbered as they would be.
        ordered = sorted(self.payments, key=lambda p: p[0])
        with open(out / "payments.csv", "w", encoding="utf-8") as f:
            f.write(
                "payment_id,customer_id,date,amount,invoice_number,method,reference\n"
            )
            chunk = []
            for n, (day, code, cents, number) in enumerate(ordered, start=1):
                method = METHODS[n % len(METHODS)]
                ref = f"R{rng.randrange(10**6):06d}" if n % 3 else ""
                chunk.append(
                    f"PAY-{n:07d},{code},{days[day]},{cents_text(cents)},"
                    f"{number},{method},{ref}\n"
                )
                if len(chunk) >= 10_000:
                    f.write("".join(chunk))
                    chunk.clear()
            f.write("".join(chunk))
        (out / "manifest.json").write_text(json.dumps(asdict(manifest), indent=2))


def generate(
    out: Path,
    *,
    seed: int = 2026,
    as_of: date = date(2026, 12, 3),
    customers: int = 20_000,
    invoices: int = 1_000_000,
    statement_lines: int = 5_000,
) -> Manifest:
    """Generate the books into `out` and return what was made."""
    gen = Generator(seed, as_of, customers - 1, invoices)
    code, start, end = gen.make_statement_customer(statement_lines)
    # The statement customer's invoices count towards the total asked for.
    gen.n_invoices = max(0, invoices - len(gen.invoices))
    gen.make_ordinary()
    manifest = Manifest(
        seed=seed,
        as_of=as_of.isoformat(),
        first_day=gen.first_day.isoformat(),
        customers=len(gen.customer_rows),
        invoices=len(gen.invoices),
        payments=len(gen.payments),
        statement_customer=code,
        statement_lines=statement_lines,
        statement_from=gen.days[start],
        statement_to=gen.days[end],
    )
    gen.write(out, manifest)
    return manifest


def main(argv: list[str] | None = None) -> None:
    """Command line: where to write and how big."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 12, 3))
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--statement-lines", type=int, default=5_000)
    args = parser.parse_args(argv)
    manifest = generate(
        args.out,
        seed=args.seed,
        as_of=args.as_of,
        customers=args.customers,
        invoices=args.invoices,
        statement_lines=args.statement_lines,
    )
    print(json.dumps(asdict(manifest), indent=2))


if __name__ == "__main__":
    main()
