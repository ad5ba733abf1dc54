"""The list's two passes agree even when another program commits between them."""

from __future__ import annotations

import sqlite3

import pytest

from flare_tui import parallel
from flare_tui.books import Books


def test_a_commit_during_the_passes_asks_again_in_one_snapshot(
    demo_books: Books, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(demo_books.db.database)
    query = ("SELECT COUNT(*) FROM payment", ())
    before = demo_books.db.execute_sql(*query).fetchall()
    real_connect = sqlite3.connect
    again = []

    def connect_after_a_commit(*args, **kwargs):  # type: ignore[no-untyped-def]
        # Another program adds a payment just as the second pass starts,
        # as a concurrent import would.
        other = real_connect(path)
        other.execute(
            "INSERT INTO payment (payment_id, customer_id, date, amount, method,"
            " reference) VALUES ('LATE-1', 1, '2026-12-01', 100, '', '')"
        )
        other.commit()
        other.close()
        return real_connect(*args, **kwargs)

    def spy(*args):  # type: ignore[no-untyped-def]
        again.append(True)
        return sequential(*args)

    sequential = parallel._one_after_the_other
    monkeypatch.setattr(parallel.sqlite3, "connect", connect_after_a_commit)
    monkeypatch.setattr(parallel, "_one_after_the_other", spy)
    first, second = parallel.fetch_both(demo_books.db, query, query)

    assert again, "the commit was noticed and both passes were asked again"
    assert first == second == [(before[0][0] + 1,)]
