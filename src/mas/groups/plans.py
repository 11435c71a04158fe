"""The split of each group order, written before its first child is sent: ``$MAS_HOME/group_orders.sqlite``.

A group order's split depends on the accounts' equity at the moment it is made, and the first child changes
it. So the split is written once, keyed by the group and the parent's ``client_order_id``, before any child
is sent; a resend (after a crash, in another process) reads it back and sends the same children with the same
idempotency keys, which the order journal (:mod:`mas.live.journal`) turns into "already sent" or a send.
The first writer wins: two processes sending one parent at once use the same split.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from mas.data.store import mas_home
from mas.live.private_files import private_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    group_name TEXT NOT NULL, client_order_id TEXT NOT NULL, request TEXT NOT NULL, shares TEXT NOT NULL,
    created REAL NOT NULL, PRIMARY KEY (group_name, client_order_id));
"""


def plans_path() -> Path:
    return mas_home() / "group_orders.sqlite"


@dataclass(frozen=True)
class Plan:
    """A parent order's request (its identifying fields) and its children: ``(member, volume)`` in order."""

    request: dict
    shares: tuple[tuple[str, float], ...]


def _connect(path: Path) -> sqlite3.Connection:
    private_file(path)
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(_SCHEMA)
    return db


def record_plan(group: str, client_order_id: str, request: dict, shares: list[tuple[str, float]],
                path: Path | None = None) -> Plan:
    """Write the plan unless one exists for this parent; the plan that is kept (the first written)."""
    db = _connect(path or plans_path())
    try:
        db.execute("INSERT OR IGNORE INTO plans VALUES (?, ?, ?, ?, ?)",
                   (group, client_order_id, json.dumps(request, sort_keys=True), json.dumps(shares), time.time()))
        found = find_plan(group, client_order_id, db=db)
        assert found is not None
        return found
    finally:
        db.close()


def find_plan(group: str, client_order_id: str, path: Path | None = None,
              db: sqlite3.Connection | None = None) -> Plan | None:
    """The plan of a parent already sent once, or None."""
    own = db is None
    if db is None:
        if not (path or plans_path()).exists():
            return None
        db = _connect(path or plans_path())
    try:
        row = db.execute("SELECT request, shares FROM plans WHERE group_name = ? AND client_order_id = ?",
                         (group, client_order_id)).fetchone()
    finally:
        if own:
            db.close()
    if row is None:
        return None
    return Plan(json.loads(row[0]), tuple((str(m), float(v)) for m, v in json.loads(row[1])))
