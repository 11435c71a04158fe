"""The order journal: ``$MAS_HOME/journal.sqlite`` (WAL), shared by every process of the user.

Every live trade request is written here before it is sent (state ``pending``) and its
outcome after (``done``, ``rejected``, ``failed`` or ``unknown``). A request carries a client
order id (the caller's, or a generated one): the same id on the same account is one order,
whichever process sends it. The journal also keeps, per account, the last deal ticket that
was pushed to ``receive_order_execution``, so fills are pushed once across restarts.
Passwords are never written here.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from mas.data.store import mas_home

PENDING, DONE, REJECTED, FAILED, UNKNOWN = "pending", "done", "rejected", "failed", "unknown"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    account INTEGER NOT NULL, server TEXT NOT NULL, client_order_id TEXT NOT NULL, tag TEXT NOT NULL,
    owner TEXT NOT NULL, state TEXT NOT NULL, request TEXT NOT NULL,
    retcode INTEGER, order_ticket INTEGER, deal_ticket INTEGER, price REAL, volume REAL, comment TEXT,
    created REAL NOT NULL, updated REAL NOT NULL,
    UNIQUE (account, server, client_order_id));
CREATE TABLE IF NOT EXISTS deal_cursors (
    account INTEGER NOT NULL, server TEXT NOT NULL, last_deal INTEGER NOT NULL, last_time INTEGER NOT NULL,
    PRIMARY KEY (account, server));
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


def journal_path() -> Path:
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
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=15)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
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
        with self._lock:
            return self._find(account, server, client_order_id)

    def entries(self, account: int | None = None) -> list[JournalEntry]:
        with self._lock:
            query = "SELECT * FROM requests" + (" WHERE account = ?" if account is not None else "") + " ORDER BY id"
            rows = self._db.execute(query, (account,) if account is not None else ()).fetchall()
        return [_entry(r) for r in rows]

    def _find(self, account: int, server: str, client_order_id: str) -> JournalEntry | None:
        row = self._db.execute("SELECT * FROM requests WHERE account = ? AND server = ? AND client_order_id = ?",
                               (account, server, client_order_id)).fetchone()
        return _entry(row) if row else None

    # ------------------------------------------------------------------ deal cursor
    def deal_cursor(self, account: int, server: str) -> tuple[int, int] | None:
        """(last deal ticket pushed, its time) for the account, or None if never recorded."""
        with self._lock:
            row = self._db.execute("SELECT last_deal, last_time FROM deal_cursors WHERE account = ? AND server = ?",
                                   (account, server)).fetchone()
        return (int(row[0]), int(row[1])) if row else None

    def set_deal_cursor(self, account: int, server: str, last_deal: int, last_time: int) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO deal_cursors (account, server, last_deal, last_time) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(account, server) DO UPDATE SET last_deal = max(last_deal, excluded.last_deal), "
                "last_time = excluded.last_time", (account, server, last_deal, last_time))


def _entry(row: tuple) -> JournalEntry:
    (row_id, account, server, cid, tag, owner, state, request, retcode, order, deal, price, volume, comment,
     _created, _updated) = row
    return JournalEntry(row_id, account, server, cid, tag, owner, state, json.loads(request), retcode, order, deal,
                        price, volume, comment)
