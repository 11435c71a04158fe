"""The split of each group order, written before its first child is sent: ``$MAS_HOME/group_orders.sqlite``.

An action on a sent parent (a close, a partial close, a modify, a cancel) is written the same way, in the
``acts`` table keyed by its own id (its ``client_order_id``): a partial close's split depends on the open
volumes, which its first child changes, so a resent partial close reads the split back.

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
CREATE TABLE IF NOT EXISTS acts (
    group_name TEXT NOT NULL, act_id TEXT NOT NULL, parent TEXT NOT NULL, request TEXT NOT NULL,
    shares TEXT NOT NULL, created REAL NOT NULL, PRIMARY KEY (group_name, act_id));
"""


def plans_path() -> Path:
    """The SQLite file of the group order plans (``$MAS_HOME/group_orders.sqlite``)."""
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


def _one_row(query: str, args: tuple, path: Path | None, db: sqlite3.Connection | None) -> tuple | None:
    """The first row ``query`` finds, on ``db`` or on the plans file (None when the file does not exist yet)."""
    own = db is None
    if db is None:
        if not (path or plans_path()).exists():
            return None
        db = _connect(path or plans_path())
    try:
        return db.execute(query, args).fetchone()
    finally:
        if own:
            db.close()


def find_plan(group: str, client_order_id: str, path: Path | None = None,
              db: sqlite3.Connection | None = None) -> Plan | None:
    """The plan of a parent already sent once, or None."""
    row = _one_row("SELECT request, shares FROM plans WHERE group_name = ? AND client_order_id = ?",
                   (group, client_order_id), path, db)
    if row is None:
        return None
    return Plan(json.loads(row[0]), tuple((str(m), float(v)) for m, v in json.loads(row[1])))


@dataclass(frozen=True)
class Act:
    """An action on a parent order: its parent, its identifying fields and its children ``(member, volume)``."""

    parent: str
    request: dict
    shares: tuple[tuple[str, float], ...]


def record_act(group: str, act_id: str, parent: str, request: dict, shares: list[tuple[str, float]],
               path: Path | None = None) -> Act:
    """Write the action unless one of that id exists; the action that is kept (the first written)."""
    db = _connect(path or plans_path())
    try:
        db.execute("INSERT OR IGNORE INTO acts VALUES (?, ?, ?, ?, ?, ?)",
                   (group, act_id, parent, json.dumps(request, sort_keys=True), json.dumps(shares), time.time()))
        found = find_act(group, act_id, db=db)
        assert found is not None
        return found
    finally:
        db.close()


def find_act(group: str, act_id: str, path: Path | None = None, db: sqlite3.Connection | None = None) -> Act | None:
    """The action ``act_id`` of ``group`` written before, or None."""
    row = _one_row("SELECT parent, request, shares FROM acts WHERE group_name = ? AND act_id = ?", (group, act_id),
                   path, db)
    if row is None:
        return None
    return Act(str(row[0]), json.loads(row[1]), tuple((str(m), float(v)) for m, v in json.loads(row[2])))
