"""The sim server's state file (SQLite, WAL): what a restarted server needs to lose nothing.

Saved, and restored on start:
- the replay: symbol, timeframe, first bar time and the open time of the last completed bar;
- per account: login, salted password digest, initial capital, balance, the next order and
  deal tickets, the open positions and active orders (every field, swaps and margin
  included), and the whole history of orders and deals.

Each account also keeps the open time of the last bar its book was settled to, its currency and
leverage: one account's failed save never holds back the others, and a restarted server settles
an account that lagged behind the replay up to the replay's bar (so no bar is settled twice).
The file (and the folder, when this creates it) is readable by its owner only; SQLite gives its
WAL and shared-memory files the same mode.

Not saved: connections and sessions (clients log in again), per-session ``last_error``, and
the backtest-style trade records (reports on a live account are built from its deals).
Each save is one transaction, written before the client that caused it gets its answer.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mas.live.private_files import private_file
from mas.sim.records import SimDeal, SimOrder, SimPosition

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (
    login INTEGER PRIMARY KEY, salt BLOB NOT NULL, digest BLOB NOT NULL, capital REAL NOT NULL,
    balance REAL NOT NULL, next_order INTEGER NOT NULL, next_deal INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS positions (login INTEGER, ticket INTEGER, data TEXT NOT NULL,
    PRIMARY KEY (login, ticket));
CREATE TABLE IF NOT EXISTS orders (login INTEGER, ticket INTEGER, data TEXT NOT NULL,
    PRIMARY KEY (login, ticket));
CREATE TABLE IF NOT EXISTS history_orders (login INTEGER, seq INTEGER, data TEXT NOT NULL,
    PRIMARY KEY (login, seq));
CREATE TABLE IF NOT EXISTS deals (login INTEGER, seq INTEGER, data TEXT NOT NULL, PRIMARY KEY (login, seq));
"""
_ADDED_COLUMNS = (("currency", "TEXT"), ("leverage", "INTEGER"), ("bar_time", "INTEGER"))


@dataclass
class AccountRecord:
    """One account as stored: credentials, money, tickets and every order, position and deal."""

    login: int
    salt: bytes
    digest: bytes
    capital: float
    balance: float = 0.0
    next_order: int = 1
    next_deal: int = 1
    positions: list[SimPosition] = field(default_factory=list)
    orders: list[SimOrder] = field(default_factory=list)
    history_orders: list[SimOrder] = field(default_factory=list)
    deals: list[SimDeal] = field(default_factory=list)
    currency: str | None = None
    leverage: int | None = None
    bar_time: int | None = None  # open time of the last bar this book was settled to


class StateStore:
    """Reads and writes the state file; safe to call from several threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        private_file(self.path)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(accounts)")}
        for name, kind in _ADDED_COLUMNS:  # state files written before these columns existed
            if name not in columns:
                self._db.execute(f"ALTER TABLE accounts ADD COLUMN {name} {kind}")
        self._saved: dict[int, tuple[int, int]] = {}  # login -> (history orders, deals) already written
        if self.meta("schema") is None:
            self.set_meta({"schema": SCHEMA_VERSION})

    def close(self) -> None:
        """Close the state file."""
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ replay
    def meta(self, key: str) -> str | None:
        """The server setting ``key`` saved in the state file, or None."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: dict[str, Any]) -> None:
        """Save server settings (written as text) in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                 [(k, str(v)) for k, v in values.items()])
            self._db.execute("COMMIT")

    # ------------------------------------------------------------------ accounts
    def load_accounts(self) -> list[AccountRecord]:
        """Every saved account with its positions, orders, ended orders and deals."""
        with self._lock:
            rows = self._db.execute("SELECT login, salt, digest, capital, balance, next_order, next_deal, currency, "
                                    "leverage, bar_time FROM accounts ORDER BY login").fetchall()
            records = []
            for login, salt, digest, capital, balance, next_order, next_deal, currency, leverage, bar_time in rows:
                rec = AccountRecord(login, bytes(salt), bytes(digest), capital, balance, next_order, next_deal,
                                    currency=currency, leverage=leverage, bar_time=bar_time)
                rec.positions = [SimPosition(**d) for d in self._rows("positions", login, "ticket")]
                rec.orders = [SimOrder(**d) for d in self._rows("orders", login, "ticket")]
                rec.history_orders = [SimOrder(**d) for d in self._rows("history_orders", login, "seq")]
                rec.deals = [SimDeal(**d) for d in self._rows("deals", login, "seq")]
                self._saved[login] = (len(rec.history_orders), len(rec.deals))
                records.append(rec)
        return records

    def _rows(self, table: str, login: int, order: str) -> list[dict]:
        query = f"SELECT data FROM {table} WHERE login = ? ORDER BY {order}"  # noqa: S608 (fixed names)
        return [json.loads(r[0]) for r in self._db.execute(query, (login,))]

    def save_accounts(self, records: list[AccountRecord], meta: dict[str, Any] | None = None) -> None:
        """Write ``records`` (and ``meta``) in one transaction. History and deals are append-only:
        only the ones not written yet are inserted."""
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                for rec in records:
                    db.execute(
                        "INSERT INTO accounts (login, salt, digest, capital, balance, next_order, next_deal, currency, "
                        "leverage, bar_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(login) DO UPDATE SET "
                        "salt = excluded.salt, digest = excluded.digest, balance = excluded.balance, "
                        "next_order = excluded.next_order, next_deal = excluded.next_deal, "
                        "bar_time = excluded.bar_time",
                        (rec.login, rec.salt, rec.digest, rec.capital, rec.balance, rec.next_order, rec.next_deal,
                         rec.currency, rec.leverage, rec.bar_time))
                    for table, items in (("positions", rec.positions), ("orders", rec.orders)):
                        db.execute(f"DELETE FROM {table} WHERE login = ?", (rec.login,))  # noqa: S608
                        db.executemany(f"INSERT INTO {table} (login, ticket, data) VALUES (?, ?, ?)",  # noqa: S608
                                       [(rec.login, x.ticket, json.dumps(asdict(x))) for x in items])
                    done_orders, done_deals = self._saved.get(rec.login, (0, 0))
                    db.executemany("INSERT OR REPLACE INTO history_orders (login, seq, data) VALUES (?, ?, ?)",
                                   [(rec.login, i, json.dumps(asdict(o)))
                                    for i, o in enumerate(rec.history_orders[done_orders:], done_orders)])
                    db.executemany("INSERT OR REPLACE INTO deals (login, seq, data) VALUES (?, ?, ?)",
                                   [(rec.login, i, json.dumps(asdict(d)))
                                    for i, d in enumerate(rec.deals[done_deals:], done_deals)])
                if meta:
                    db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                   [(k, str(v)) for k, v in meta.items()])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            for rec in records:
                self._saved[rec.login] = (len(rec.history_orders), len(rec.deals))
