"""Opening the books: where they live, SQLite settings and schema upgrades."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import peewee as pw
from platformdirs import user_data_dir
from playhouse.db_url import connect as connect_url

from .errors import BooksError
from .models import MODELS, Customer, Invoice, Payment, Setting, database

APP_NAME = "flare-tui"
#: "FLRE": marks a SQLite file as Flare's books.
APPLICATION_ID = 0x464C5245

PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    # FULL: a committed import survives a power cut (~0.3 ms per commit).
    "synchronous": "full",
    "cache_size": -64_000,
}


def default_db_path() -> Path:
    """The books in the user data folder (e.g. ~/.local/share/flare-tui)."""
    return Path(user_data_dir(APP_NAME)) / "books.sqlite"


def resolve_target(target: str | os.PathLike[str] | None) -> str:
    """--db, else FLARE_DB, else the default file: a path or a database URL."""
    if target is None or str(target) == "":
        target = os.environ.get("FLARE_DB") or default_db_path()
    return str(target)


def _sqlite_path(target: str) -> str | None:
    """The file path of a SQLite target, or None for another database URL."""
    if target.startswith("sqlite:///"):
        return target[len("sqlite:///") :]
    if "://" in target:
        return None
    return target


def _upgrade_1(db: pw.Database) -> None:
    """First release: customers, invoices, payments, settings."""
    db.create_tables(MODELS)


def _upgrade_2(db: pw.Database) -> None:
    """The sent log of statement e-mails (see outbox.py)."""
    from .outbox import create_outbox_table

    create_outbox_table(db)


#: Ordered schema upgrades; the books' user_version is how many have run.
UPGRADES: tuple[Callable[[pw.Database], None], ...] = (_upgrade_1, _upgrade_2)
SCHEMA_VERSION = len(UPGRADES)


def describe(target: str | os.PathLike[str] | None) -> str:
    """Where the books are, for messages."""
    return resolve_target(target)


def open_database(
    target: str | os.PathLike[str] | None = None, *, create: bool = True
) -> pw.Database:
    """Open (and if needed create or upgrade) the books and bind the models.

    With create=False a missing SQLite file is an error instead of new books.
    """
    resolved = resolve_target(target)
    path = _sqlite_path(resolved)
    if path is not None:
        file = Path(path).expanduser()
        if not file.exists():
            if not create:
                raise BooksError(
                    f"no books at {file}: run 'flare import' or 'flare demo' first,"
                    " or point --db / FLARE_DB at your books"
                )
            if not file.parent.exists():
                file.parent.mkdir(parents=True, exist_ok=True)
        elif file.is_dir():
            raise BooksError(f"{file} is a folder, not a database file")
        db: pw.Database = pw.SqliteDatabase(str(file), pragmas=PRAGMAS)
    else:
        try:
            db = connect_url(resolved)
        except Exception as error:  # noqa: BLE001 - any driver error
            raise BooksError(f"cannot use database {resolved}: {error}") from None
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        _check_and_upgrade(db, resolved)
    except BooksError:
        db.close()
        raise
    except (pw.DatabaseError, sqlite3.DatabaseError) as error:
        db.close()
        raise BooksError(explain_db_error(error, resolved)) from None
    return db


def explain_db_error(error: Exception, where: str) -> str:
    """A database error in words: locked, not a database, read-only..."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return f"the books at {where} are locked by another program; try again"
    if "not a database" in text or "malformed" in text:
        return f"{where} is not a Flare database (or it is damaged)"
    if "readonly" in text or "read-only" in text:
        return f"the books at {where} are read-only"
    if "unable to open" in text:
        return f"cannot open {where}: check the path and its permissions"
    return f"database error in {where}: {text}"


def _check_and_upgrade(db: pw.Database, where: str) -> None:
    if isinstance(db, pw.SqliteDatabase):
        version = db.execute_sql("PRAGMA user_version").fetchone()[0]
        app_id = db.execute_sql("PRAGMA application_id").fetchone()[0]
        tables = db.get_tables()
        if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
            raise BooksError(f"{where} is not a Flare database")
    else:
        version = _generic_version(db)
    if version > SCHEMA_VERSION:
        raise BooksError(
            f"the books at {where} were made by a newer Flare (schema {version});"
            " upgrade Flare to open them"
        )
    if version == SCHEMA_VERSION:
        return
    with db.atomic("IMMEDIATE") if isinstance(db, pw.SqliteDatabase) else db.atomic():
        for step in UPGRADES[version:]:
            step(db)
        _set_version(db, SCHEMA_VERSION)


def _generic_version(db: pw.Database) -> int:
    # Non-SQLite databases keep the schema version in the settings table.
    if not Setting.table_exists():
        return 0
    row = Setting.get_or_none(Setting.key == "_schema_version")
    return int(row.value) if row else 0


def _set_version(db: pw.Database, version: int) -> None:
    if isinstance(db, pw.SqliteDatabase):
        db.execute_sql(f"PRAGMA user_version = {int(version)}")
        db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    else:
        Setting.replace(key="_schema_version", value=str(version)).execute()


def write_transaction(db: pw.Database) -> pw._atomic:  # type: ignore[name-defined]
    """A write transaction that takes the write lock at once (IMMEDIATE)."""
    if isinstance(db, pw.SqliteDatabase):
        return db.atomic("IMMEDIATE")
    return db.atomic()


def holds_books(db: pw.Database) -> bool:
    """True when the books hold any customer, invoice or payment."""
    return any(m.select().limit(1).exists(db) for m in (Customer, Invoice, Payment))
