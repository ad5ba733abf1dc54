"""The figures of the customer list and the customer detail, added up in SQL.

Every function takes the open database and returns frozen dataclasses of
plain values (money in integer cents), so screens and the command line can
use them from any thread without touching the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import peewee as pw

from .errors import UnknownCustomer
from .parallel import fetch_both
from .periods import FiscalYear, add_months, fiscal_year, one_year_earlier
from .records import (
    AGING_BUCKETS,
    Aging,
    CustomerDetail,
    CustomerInfo,
    CustomerList,
    CustomerSummary,
    MonthComparison,
    OpenInvoice,
    Receivables,
    bucket_of,
)
from .text import clean_text

__all__ = [
    "AGING_BUCKETS",
    "Aging",
    "CustomerDetail",
    "CustomerInfo",
    "CustomerList",
    "CustomerSummary",
    "MonthComparison",
    "OpenInvoice",
    "Receivables",
    "bucket_of",
    "customer_detail",
    "customer_list",
    "receivables",
]


def _iso(day: date) -> str:
    return day.isoformat()


def customer_info(db: pw.Database, customer_id: str) -> tuple[int, CustomerInfo]:
    """The row id and contact details of a customer; UnknownCustomer if none."""
    row = db.execute_sql(
        "SELECT id, customer_id, name, email, phone, address FROM customer"
        " WHERE customer_id = ?",
        (customer_id,),
    ).fetchone()
    if row is None:
        raise UnknownCustomer(customer_id)
    return row[0], CustomerInfo(*row[1:])


def find_customers(
    db: pw.Database, text: str = "", limit: int = 50
) -> tuple[CustomerInfo, ...]:
    """Customers whose name or id contains `text` (any case), by name."""
    pattern = (
        "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    )
    rows = db.execute_sql(
        "SELECT customer_id, name, email, phone, address FROM customer"
        " WHERE name LIKE ? ESCAPE '\\' OR customer_id LIKE ? ESCAPE '\\'"
        " ORDER BY name COLLATE NOCASE, customer_id LIMIT ?",
        (pattern, pattern, limit),
    ).fetchall()
    return tuple(CustomerInfo(*row) for row in rows)


def paid_by_month_sql(
    fy: FiscalYear, day: date, scope: str = ""
) -> tuple[str, list[str]]:
    """The list's payment figures for every customer, as one query.

    Columns: customer row id, 12 fiscal months of this year, paid this year,
    paid last year, paid last year to date. `scope` is an extra SQL condition
    on payment.customer_id (see customer_list).
    """
    # Each CASE costs a comparison per payment, so this year's rows get one
    # test per month ("paid before the next month starts", a running total
    # whose differences are the months) and last year's rows only the
    # to-date test. About twice as fast as two tests per month on every row.
    where = f" AND customer_id {scope}" if scope else ""
    running = ", ".join(
        f"SUM(CASE WHEN date < ? THEN amount ELSE 0 END) AS c{k}" for k in range(1, 12)
    )
    months = ["SUM(c1)"] + [f"SUM(c{k}) - SUM(c{k - 1})" for k in range(2, 13)]
    last = fy.previous()
    sql = (
        f"SELECT customer_id, {', '.join(months)}, SUM(c12), SUM(ly), SUM(lytd)"
        f" FROM (SELECT customer_id, {running}, SUM(amount) AS c12,"
        " 0 AS ly, 0 AS lytd"
        " FROM payment WHERE date >= ? AND date <= ?" + where + " GROUP BY customer_id"
        f" UNION ALL SELECT customer_id, {', '.join('0' * 12)}, SUM(amount),"
        " SUM(CASE WHEN date <= ? THEN amount ELSE 0 END)"
        " FROM payment WHERE date >= ? AND date < ?" + where + " GROUP BY customer_id)"
        " GROUP BY customer_id"
    )
    params = [_iso(add_months(month, 1)) for month in fy.months[:-1]]
    params += [_iso(fy.start), _iso(day)]
    params += [_iso(one_year_earlier(day)), _iso(last.start), _iso(fy.start)]
    return sql, params


#: Unpaid invoices per customer at a day. An invoice is unpaid at D when it
#: was issued by D and not settled by D; its outstanding is its amount less
#: the payments applied to it up to D (never below zero: the excess is credit).
UNPAID_SQL = (
    "SELECT i.customer_id, COUNT(*),"
    " SUM(i.amount - MIN(i.amount, COALESCE((SELECT SUM(p.amount) FROM payment p"
    "   WHERE p.invoice_id = i.id AND p.date <= :day), 0)))"
    " FROM invoice i"
    " WHERE i.issue_date <= :day AND (i.settled_on IS NULL OR i.settled_on > :day)"
    # "+": grouping must not pick the customer index, which would visit every
    # invoice; the settled_on index finds the few unsettled ones directly.
    " {scope} GROUP BY +i.customer_id"
)


def customer_list(
    db: pw.Database,
    as_of: date,
    fiscal_year_start: int = 1,
    customer_ids: Sequence[str] | None = None,
) -> CustomerList:
    """Every customer's paid per fiscal month, paid this year and unpaid.

    `customer_ids` limits the rows (e.g. a first screenful); the totals are
    then those of the rows returned.
    """
    fy = fiscal_year(as_of, fiscal_year_start)
    scope = ""
    if customer_ids is not None:
        # Narrow the two GROUP BYs too, so a first screenful costs
        # milliseconds, not a pass over every payment. Row ids come from
        # the books themselves (integers), so inlining them is safe.
        marks = ",".join("?" * len(customer_ids))
        row_ids = db.execute_sql(
            f"SELECT id FROM customer WHERE customer_id IN ({marks})",
            list(customer_ids),
        ).fetchall()
        scope = f"IN ({','.join(str(int(r[0])) for r in row_ids) or 'NULL'})"
    paid_query = paid_by_month_sql(fy, as_of, scope)
    unpaid_sql = UNPAID_SQL.format(scope=f"AND i.customer_id {scope}" if scope else "")
    unpaid_query = (unpaid_sql, {"day": _iso(as_of)})
    if scope:
        paid_rows = db.execute_sql(*paid_query).fetchall()
        unpaid_rows = db.execute_sql(*unpaid_query).fetchall()
    else:
        # Two passes over a million rows: one per core.
        paid_rows, unpaid_rows = fetch_both(db, paid_query, unpaid_query)
    paid = {row[0]: row[1:] for row in paid_rows}
    unpaid = {row[0]: (row[1], row[2]) for row in unpaid_rows}
    sql = "SELECT id, customer_id, name, email FROM customer"
    params: list[str] = []
    if customer_ids is not None:
        sql += f" WHERE customer_id IN ({','.join('?' * len(customer_ids))})"
        params = list(customer_ids)
    sql += " ORDER BY name COLLATE NOCASE, customer_id"

    zero_paid = (0,) * 15
    rows = []
    for row_id, code, name, email in db.execute_sql(sql, params):
        figures = paid.get(row_id, zero_paid)
        count, total = unpaid.get(row_id, (0, 0))
        rows.append(
            CustomerSummary(
                customer_id=code,
                name=name,
                paid_by_month=tuple(figures[:12]),
                paid_this_year=figures[12],
                paid_last_year=figures[13],
                paid_last_year_to_date=figures[14],
                unpaid_invoices=count,
                unpaid_total=total,
                email=email,
            )
        )
    return CustomerList(as_of, fy, tuple(rows), _totals(rows))


def _totals(rows: Sequence[CustomerSummary]) -> CustomerSummary:
    months = [r.paid_by_month for r in rows]
    return CustomerSummary(
        customer_id="",
        name="Total",
        # zip(*...) turns 12 passes over the rows into one.
        paid_by_month=tuple(map(sum, zip(*months, strict=True)))
        if months
        else (0,) * 12,
        paid_this_year=sum(r.paid_this_year for r in rows),
        paid_last_year=sum(r.paid_last_year for r in rows),
        paid_last_year_to_date=sum(r.paid_last_year_to_date for r in rows),
        unpaid_invoices=sum(r.unpaid_invoices for r in rows),
        unpaid_total=sum(r.unpaid_total for r in rows),
    )


def receivables(db: pw.Database, customer_row: int, day: date) -> Receivables:
    """The customer's outstanding invoices at `day`, oldest due first."""
    rows = db.execute_sql(
        "SELECT i.invoice_number, i.issue_date, i.due_date, i.amount,"
        " MIN(i.amount, COALESCE((SELECT SUM(p.amount) FROM payment p"
        "   WHERE p.invoice_id = i.id AND p.date <= :day), 0)), i.description"
        " FROM invoice i WHERE i.customer_id = :customer"
        " AND i.issue_date <= :day"
        " AND (i.settled_on IS NULL OR i.settled_on > :day)"
        " ORDER BY i.due_date, i.invoice_number",
        {"day": _iso(day), "customer": customer_row},
    ).fetchall()
    invoices = []
    for number, issued, due, amount, paid, description in rows:
        due_date = date.fromisoformat(due)
        invoices.append(
            OpenInvoice(
                invoice_number=number,
                issue_date=date.fromisoformat(issued),
                due_date=due_date,
                amount=amount,
                paid=paid,
                outstanding=amount - paid,
                days_late=(day - due_date).days,
                description=clean_text(description),
            )
        )
    invoices_t = tuple(invoices)
    return Receivables(day, invoices_t, Aging.from_invoices(invoices_t))


def balance(db: pw.Database, customer_row: int, day: date) -> int:
    """All invoices issued up to `day` less all payments dated up to it."""
    row = db.execute_sql(
        "SELECT (SELECT COALESCE(SUM(amount), 0) FROM invoice"
        "  WHERE customer_id = :c AND issue_date <= :day)"
        " - (SELECT COALESCE(SUM(amount), 0) FROM payment"
        "  WHERE customer_id = :c AND date <= :day)",
        {"c": customer_row, "day": _iso(day)},
    ).fetchone()
    return int(row[0])


def customer_detail(
    db: pw.Database,
    customer_id: str,
    as_of: date,
    fiscal_year_start: int = 1,
    years_back: int = 0,
) -> CustomerDetail:
    """A customer's fiscal year month by month against the year before.

    years_back=0 shows the fiscal year of as-of (to date); 1 the one before
    it in full, and so on. Receivables are always those at as-of.
    """
    row_id, info = customer_info(db, customer_id)
    fy = fiscal_year(as_of, fiscal_year_start)
    for _ in range(years_back):
        fy = fy.previous()
    last = fy.previous()
    day = min(as_of, fy.end)
    last_day = one_year_earlier(day)
    rows = db.execute_sql(
        "SELECT substr(date, 1, 7), SUM(amount),"
        " SUM(CASE WHEN date <= :last_day THEN amount ELSE 0 END)"
        " FROM payment WHERE customer_id = :c AND date >= :start AND date <= :day"
        " GROUP BY substr(date, 1, 7)",
        {
            "c": row_id,
            "start": _iso(last.start),
            "day": _iso(day),
            "last_day": _iso(last_day),
        },
    ).fetchall()
    by_month = {month: (total, to_date) for month, total, to_date in rows}
    months = []
    last_to_date = 0
    for this_m, last_m, label in zip(
        fy.months, last.months, fy.month_labels, strict=True
    ):
        last_total, last_part = by_month.get(last_m.strftime("%Y-%m"), (0, 0))
        last_to_date += last_part
        months.append(
            MonthComparison(
                month=this_m,
                label=label,
                this_year=by_month.get(this_m.strftime("%Y-%m"), (0, 0))[0],
                last_year=last_total,
            )
        )
    return CustomerDetail(
        customer=info,
        as_of=as_of,
        fiscal_year=fy,
        last_fiscal_year=last,
        day=day,
        months=tuple(months),
        this_year_total=sum(m.this_year for m in months),
        last_year_total=sum(m.last_year for m in months),
        last_year_to_date=last_to_date,
        receivable=receivables(db, row_id, as_of),
        balance=balance(db, row_id, as_of),
    )
