"""The order journal: ``$MAS_HOME/journal.sqlite`` (WAL), shared by every process of the user.

Every live trade request is written here before it is sent (state ``pending``) and its
outcome after (``done``, ``rejected``, ``failed`` or ``unknown``); a request a risk guard
refused is written as ``refused`` and never sent. A request carries a client order id (the
caller's, or a generated one): the same id on the same account is one order, whichever process
sends it; the entry records the process that sent it (``owner``), so the fill poller of that
process does not push a rejection it already got as the answer. The journal also keeps, per
account, the equity each UTC day started with (the daily loss guard), and the exposure reserved
by orders on their way to the server (the ``max_positions`` guard: reserved under
:meth:`Journal.exposure_lock`, a file lock shared by every thread and process). What the fill
poller has pushed is not kept here (each process remembers its own, :mod:`mas.live.fills`).
Passwords are never written here.

Tables older versions made and no longer used (``deal_cursors``, ``order_watermarks``,
``ended_orders``) may be left in a file: they are ignored, never dropped (an older process may
still be using the file).
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from filelock import FileLock

from mas.data.store import mas_home
from mas.live.private_files import private_file
from mas.terminal.constants import TRADE_RETCODE_REJECT as REJECT_RETCODE

PENDING, DONE, REJECTED, FAILED, UNKNOWN, REFUSED = "pending", "done", "rejected", "failed", "unknown", "refused"
RESENDABLE = frozenset({REJECTED, FAILED, REFUSED})
"""States whose request never became an order: the same client order id may be sent again."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account INTEGER NOT NULL, server TEXT NOT NULL, client_order_id TEXT NOT NULL, tag TEXT NOT NULL,
    owner TEXT NOT NULL, state TEXT NOT NULL, request TEXT NOT NULL,
    retcode INTEGER, order_ticket INTEGER, deal_ticket INTEGER, price REAL, volume REAL, comment TEXT,
    created REAL NOT NULL, updated REAL NOT NULL,
    UNIQUE (account, server, client_order_id));
CREATE TABLE IF NOT EXISTS reservations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account INTEGER NOT NULL, server TEXT NOT NULL, tag TEXT NOT NULL, symbol TEXT NOT NULL, owner TEXT NOT NULL,
    order_ticket INTEGER, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS day_start_equity (
    account INTEGER NOT NULL, server TEXT NOT NULL, day TEXT NOT NULL, equity REAL NOT NULL,
    PRIMARY KEY (account, server, day));
"""


@dataclass(frozen=True)
class JournalEntry:
    """One journaled request and what is known of its outcome."""

    id: int
    account: int
    server: str
    client_order_id: str
    tag: str
    owner: str
    state: str
    request: dict
    retcode: int | None
    order_ticket: int | None
    deal_ticket: int | None
    price: float | None
    volume: float | None
    comment: str | None


@dataclass(frozen=True)
class Reservation:
    """Exposure held for an order on its way to the server (until the server shows it, or it failed)."""

    id: int
    tag: str
    symbol: str
    owner: str
    order_ticket: int | None
    created: float


EXPOSURE_LOCK_TIMEOUT_S = 30.0
"""How long an order waits for another thread or process checking its own exposure."""


def journal_path() -> Path:
    """The journal's file: ``$MAS_HOME/journal.sqlite``."""
    return mas_home() / "journal.sqlite"


def this_owner() -> str:
    """Who is sending: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_alive(owner: str) -> bool:
    """Whether the process that wrote a pending entry still runs (unknowable on another host: True)."""
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError):
        return False
    except PermissionError:
        return True
    return True


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class Journal:
    """Thread-safe access to the journal file; each process opens its own connection."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else journal_path()
        private_file(self.path)  # requests, tickets and order history of the account: the owner's only
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=15)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------------ requests
    def claim(self, account: int, server: str, client_order_id: str, tag: str, request: dict
              ) -> tuple[int, JournalEntry | None]:
        """Write ``request`` as pending, before it is sent. When the client order id is already
        journaled, nothing is written and the existing entry is returned with its id."""
        now = time.time()
        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                existing = self._find(account, server, client_order_id)
                if existing is None:
                    cur = db.execute(
                        "INSERT INTO requests (account, server, client_order_id, tag, owner, state, request, "
                        "created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (account, server, client_order_id, tag, this_owner(), PENDING,
                         json.dumps(request, default=_json_default), now, now))
                    row_id = int(cur.lastrowid)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return (existing.id, existing) if existing is not None else (row_id, None)

    def refuse(self, account: int, server: str, client_order_id: str, tag: str, request: dict, reason: str) -> None:
        """Record a request that a risk guard refused (it is not sent). An entry of the same id is
        overwritten only when it never became an order."""
        now = time.time()
        with self._lock:
            self._db.execute(
                "INSERT INTO requests (account, server, client_order_id, tag, owner, state, request, retcode, "
                "comment, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (account, server, client_order_id) DO UPDATE SET state = excluded.state, "
                "owner = excluded.owner, request = excluded.request, retcode = excluded.retcode, "
                "comment = excluded.comment, updated = excluded.updated "
                f"WHERE requests.state IN ({', '.join('?' * len(RESENDABLE))})",
                (account, server, client_order_id, tag, this_owner(), REFUSED,
                 json.dumps(request, default=_json_default), REJECT_RETCODE, reason, now, now, *sorted(RESENDABLE)))

    def reclaim(self, entry_id: int, request: dict) -> None:
        """Mark an entry pending again, owned by this process, before its request is resent."""
        with self._lock:
            self._db.execute("UPDATE requests SET state = ?, owner = ?, request = ?, updated = ? WHERE id = ?",
                             (PENDING, this_owner(), json.dumps(request, default=_json_default), time.time(),
                              entry_id))

    def finish(self, entry_id: int, state: str, *, retcode: int | None = None, order: int | None = None,
               deal: int | None = None, price: float | None = None, volume: float | None = None,
               comment: str | None = None) -> None:
        """Record the outcome of a sent request."""
        with self._lock:
            self._db.execute(
                "UPDATE requests SET state = ?, retcode = ?, order_ticket = ?, deal_ticket = ?, price = ?, "
                "volume = ?, comment = ?, updated = ? WHERE id = ?",
                (state, retcode, order, deal, price, volume, comment, time.time(), entry_id))

    def find(self, account: int, server: str, client_order_id: str) -> JournalEntry | None:
        """The entry of ``client_order_id`` on this account and server, or None when it was never sent."""
        with self._lock:
            return self._find(account, server, client_order_id)

    def entries(self, account: int | None = None) -> list[JournalEntry]:
        """Every entry, oldest first; only ``account``'s when given."""
        with self._lock:
            query = "SELECT * FROM requests" + (" WHERE account = ?" if account is not None else "") + " ORDER BY id"
            rows = self._db.execute(query, (account,) if account is not None else ()).fetchall()
        return [_entry(r) for r in rows]

    def _find(self, account: int, server: str, client_order_id: str) -> JournalEntry | None:
        row = self._db.execute("SELECT * FROM requests WHERE account = ? AND server = ? AND client_order_id = ?",
                               (account, server, client_order_id)).fetchone()
        return _entry(row) if row else None

    # ------------------------------------------------------------------ exposure reservations (max_positions)
    @contextmanager
    def exposure_lock(self, account: int, server: str, timeout_s: float = EXPOSURE_LOCK_TIMEOUT_S) -> Iterator[None]:
        """Held while an order's exposure is checked and reserved: one holder at a time per account, across
        threads and processes. Raises ``filelock.Timeout`` after ``timeout_s``."""
        digest = hashlib.sha256(f"{account}@{server}".encode()).hexdigest()[:16]
        with FileLock(self.path.with_name(f"{self.path.name}.exposure-{digest}.lock"), timeout=timeout_s):
            yield

    def reservations(self, account: int, server: str) -> list[Reservation]:
        """The reservations held on this account and server, oldest first."""
        with self._lock:
            rows = self._db.execute("SELECT id, tag, symbol, owner, order_ticket, created FROM reservations "
                                    "WHERE account = ? AND server = ? ORDER BY id", (account, server)).fetchall()
        return [Reservation(int(r[0]), r[1], r[2], r[3], None if r[4] is None else int(r[4]), float(r[5]))
                for r in rows]

    def reserve(self, account: int, server: str, tag: str, symbol: str) -> int:
        """Hold exposure for an order about to be sent (call under :meth:`exposure_lock`); returns its id."""
        with self._lock:
            cur = self._db.execute("INSERT INTO reservations (account, server, tag, symbol, owner, created) "
                                   "VALUES (?, ?, ?, ?, ?, ?)", (account, server, tag, symbol, this_owner(),
                                                                 time.time()))
            return int(cur.lastrowid)

    def set_reservation_order(self, reservation: int, order_ticket: int) -> None:
        """The server accepted the reserved order as ``order_ticket`` (released once the server shows it)."""
        with self._lock:
            self._db.execute("UPDATE reservations SET order_ticket = ? WHERE id = ?", (order_ticket, reservation))

    def release(self, reservations: list[int]) -> None:
        """Drop reservations: their order failed, or the server shows it now."""
        if reservations:
            with self._lock:
                self._db.executemany("DELETE FROM reservations WHERE id = ?", [(r,) for r in reservations])


    # ------------------------------------------------------------------ rejections answered to this process
    def answered_rejections(self, account: int, server: str, tickets: list[int]) -> set[int]:
        """Which of the order ``tickets`` were rejected in the answer to a request this process sent (its
        caller was told then). Rejections answered to other processes are not among them: the fill
        poller of this process reports those like any other order that ended."""
        if not tickets:
            return set()
        with self._lock:
            rows = self._db.execute(
                f"SELECT order_ticket FROM requests WHERE account = ? AND server = ? AND state = ? AND owner = ? "
                f"AND order_ticket IN ({', '.join('?' * len(tickets))})",
                (account, server, REJECTED, this_owner(), *tickets)).fetchall()
        return {int(r[0]) for r in rows}

    # ------------------------------------------------------------------ daily loss guard
    def day_start_equity(self, account: int, server: str, day: str, equity_now: float | None = None
                         ) -> float | None:
        """The equity the account started ``day`` (UTC, ISO date) with: the first one recorded, by any
        process. ``equity_now`` becomes it when none is recorded yet (without it: None)."""
        with self._lock:
            if equity_now is not None:
                self._db.execute("INSERT OR IGNORE INTO day_start_equity (account, server, day, equity) "
                                 "VALUES (?, ?, ?, ?)", (account, server, day, equity_now))
            row = self._db.execute("SELECT equity FROM day_start_equity WHERE account = ? AND server = ? AND day = ?",
                                   (account, server, day)).fetchone()
        return float(row[0]) if row else None


def _entry(row: tuple) -> JournalEntry:
    (row_id, account, server, cid, tag, owner, state, request, retcode, order, deal, price, volume, comment,
     _created, _updated) = row
    return JournalEntry(row_id, account, server, cid, tag, owner, state, json.loads(request), retcode, order, deal,
                        price, volume, comment)
