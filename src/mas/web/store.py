"""The web app's state in SQLite (``$MAS_HOME/ui.sqlite3``): saved strategies, every backtest run, every
optimization sweep that ended, and a few settings (the active broker profile).

The file carries its schema version (``PRAGMA user_version``); a file written by a newer version, or one that
is not an SQLite database, is refused with a message naming the file and the fix. Every write is one
transaction; each call opens its own connection, so the worker threads and the request handlers never share one.
Run states move only forward (queued -> running -> done | failed, or -> cancelled from queued/running): each
move is a conditional UPDATE, so a cancelled run never turns "done" when its worker finishes late.
"""

from __future__ import annotations

import json
import math
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mas.i18n.errors import Text

__all__ = ["FINAL_STATES", "RUN_STATES", "SCHEMA_VERSION", "DocumentText", "Store", "StoreError"]

SCHEMA_VERSION = 2
RUN_STATES = ("queued", "running", "done", "failed", "cancelled")
FINAL_STATES = frozenset({"done", "failed", "cancelled"})
INTERRUPTED = str(Text("web_app_interrupted"))  # kept in English; said in the page's language when read

_SCHEMA = """
CREATE TABLE strategies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE runs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    label TEXT NOT NULL,
    request TEXT NOT NULL,
    document TEXT,
    metrics TEXT,
    final_equity REAL,
    error TEXT,
    owner TEXT
);
CREATE INDEX runs_created ON runs (created_at);
"""
_SCHEMA_2 = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sweeps (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'failed', 'cancelled')),
    label TEXT NOT NULL,
    request TEXT NOT NULL,
    total INTEGER,
    done INTEGER,
    result TEXT,
    error TEXT
);
"""


class StoreError(RuntimeError):
    """The database file cannot be used; the message names it and says what to do."""


@dataclass(frozen=True)
class DocumentText:
    """A result document as the store keeps it: its strict JSON text, its metrics' JSON and its final equity.
    Made once, where the run ends (a worker process, or the job's thread), so that saving it is one write."""

    text: str
    metrics: str
    final_equity: float | None

    @classmethod
    def of(cls, document: dict[str, Any]) -> DocumentText:
        """The stored form of ``document`` (NaN and infinities as null, as browsers and SQLite read JSON)."""
        try:  # one pass when the document is strict JSON already (the usual case) ...
            text = json.dumps(document, ensure_ascii=False, default=str, allow_nan=False)
        except ValueError:  # ... else its NaN and infinities made null first
            document = _json_safe(document)
            text = json.dumps(document, ensure_ascii=False, default=str, allow_nan=False)
        metrics = json.dumps(_json_safe(document.get("metrics") or {}), ensure_ascii=False, default=str)
        equity = document.get("equity")
        last = equity[-1] if equity is not None and len(equity) else None
        final = last[1] if isinstance(last, (list, tuple)) and len(last) > 1 else None
        if isinstance(final, float) and not math.isfinite(final):
            final = None
        return cls(text, metrics, final)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


class Store:
    """Saved strategies and runs in one SQLite file (created with the schema on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open_schema()
            # an idle connection held open: closing the last connection of a WAL database checkpoints it and deletes
            # its log (disk flushes: 10-20 ms at every call); with this one open, the log stays between calls
            self._keeper: sqlite3.Connection | None = sqlite3.connect(self.path, check_same_thread=False)
            self._keeper.execute("PRAGMA user_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StoreError(Text("web_app_db_unusable", path=self.path, reason=exc)) from None

    def close(self) -> None:
        """Let go of the database file (the app is stopping); later calls still work, each opening its own
        connection."""
        keeper, self._keeper = self._keeper, None
        if keeper is not None:
            keeper.close()

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys = ON")
            # in WAL mode a commit then waits for no disk flush; the file cannot be corrupted by a crash, only the
            # last commits before a power loss may be lost
            conn.execute("PRAGMA synchronous = NORMAL")
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _open_schema(self) -> None:
        with self._transaction() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(Text("web_app_db_newer", path=self.path, version=version, supported=SCHEMA_VERSION))
            if version == 0:
                tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
                if tables:
                    raise StoreError(Text("web_app_db_foreign", path=self.path))
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            if version < SCHEMA_VERSION:  # 1 -> 2: the settings and sweeps tables
                for statement in _SCHEMA_2.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode = WAL")

    # ------------------------------------------------------------------ strategies

    def save_strategy(self, name: str, source: dict[str, Any]) -> dict[str, Any]:
        """Insert or replace the strategy called ``name``; return it."""
        now = _now()
        with self._transaction() as conn:
            conn.execute("INSERT INTO strategies (name, source, created_at, updated_at) VALUES (?, ?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET source = excluded.source, updated_at = excluded.updated_at",
                         (name, json.dumps(source, ensure_ascii=False), now, now))
            row = conn.execute("SELECT * FROM strategies WHERE name = ?", (name,)).fetchone()
        return _strategy(row)

    def strategies(self) -> list[dict[str, Any]]:
        """The strategy library, by name."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM strategies ORDER BY name COLLATE NOCASE").fetchall()
        return [_strategy(r) for r in rows]

    def delete_strategy(self, ident: int) -> bool:
        """Remove a saved strategy; False when there is none."""
        with self._transaction() as conn:
            return conn.execute("DELETE FROM strategies WHERE id = ?", (ident,)).rowcount == 1

    # ------------------------------------------------------------------ settings

    def setting(self, key: str) -> str | None:
        """The value of setting ``key`` (e.g. ``active_profile``), or None when unset."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_setting(self, key: str, value: str | None) -> None:
        """Set (or with None, clear) setting ``key``."""
        with self._transaction() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # ------------------------------------------------------------------ optimization sweeps

    def save_sweep(self, task: dict[str, Any]) -> None:
        """Keep a sweep that ended (done, failed or cancelled) with its result."""
        result = json.dumps(_json_safe(task["result"]), ensure_ascii=False, allow_nan=False) \
            if task.get("result") is not None else None
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO sweeps (id, created_at, finished_at, state, label, request, total, "
                         "done, result, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (task["id"], task["created_at"], _now(), task["state"], task["label"],
                          json.dumps(task["request"], ensure_ascii=False, default=str), task.get("total"),
                          task.get("done"), result, task.get("error")))

    def sweep(self, ident: str) -> dict[str, Any] | None:
        """A kept sweep with its result, or None."""
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM sweeps WHERE id = ?", (ident,)).fetchone()
        if row is None:
            return None
        item = _sweep(row)
        item["result"] = json.loads(row["result"]) if row["result"] else None
        return item

    def sweeps(self, limit: int = 200) -> list[dict[str, Any]]:
        """The kept sweeps, newest first, without their results."""
        with self._connect() as conn:
            rows = conn.execute("SELECT id, created_at, finished_at, state, label, request, total, done, error "
                                "FROM sweeps ORDER BY finished_at DESC, rowid DESC LIMIT ?", (limit,)).fetchall()
        return [_sweep(r) for r in rows]

    def delete_sweep(self, ident: str) -> bool:
        """Forget a kept sweep; False when there is none."""
        with self._transaction() as conn:
            return conn.execute("DELETE FROM sweeps WHERE id = ?", (ident,)).rowcount == 1

    # ------------------------------------------------------------------ runs

    def add_run(self, label: str, request: dict[str, Any], owner: str | None = None) -> str:
        """A new queued run of the app process ``owner`` (see :mod:`mas.web.instances`); its id."""
        ident = uuid.uuid4().hex
        with self._transaction() as conn:
            conn.execute("INSERT INTO runs (id, created_at, state, label, request, owner) "
                         "VALUES (?, ?, 'queued', ?, ?, ?)",
                         (ident, _now(), label, json.dumps(request, ensure_ascii=False), owner))
        return ident

    def _move(self, ident: str, to: str, allowed_from: tuple[str, ...], **values: Any) -> bool:
        sets = ", ".join(["state = ?", *(f"{k} = ?" for k in values)])
        marks = ", ".join("?" for _ in allowed_from)
        with self._transaction() as conn:
            cursor = conn.execute(f"UPDATE runs SET {sets} WHERE id = ? AND state IN ({marks})",
                                  (to, *values.values(), ident, *allowed_from))
            return cursor.rowcount == 1

    def start_run(self, ident: str) -> bool:
        """queued -> running; False when the run is no longer queued (cancelled)."""
        return self._move(ident, "running", ("queued",), started_at=_now())

    def finish_run(self, ident: str, document: dict[str, Any] | DocumentText) -> bool:
        """running -> done with the result document (or its :class:`DocumentText`); False when the run was
        cancelled meanwhile."""
        saved = document if isinstance(document, DocumentText) else DocumentText.of(document)
        return self._move(ident, "done", ("running",), finished_at=_now(), document=saved.text,
                          metrics=saved.metrics, final_equity=saved.final_equity)

    def fail_run(self, ident: str, error: str) -> bool:
        """queued/running -> failed with the error shown on the page; False when it had ended."""
        return self._move(ident, "failed", ("queued", "running"), finished_at=_now(), error=error)

    def cancel_run(self, ident: str) -> bool:
        """queued/running -> cancelled; False when it had already ended."""
        return self._move(ident, "cancelled", ("queued", "running"), finished_at=_now())

    def fail_unfinished(self, alive: Callable[[str | None], bool] = lambda owner: False) -> int:
        """Mark runs left queued or running by app processes that are gone (``alive(owner)`` False) as failed;
        how many. Runs of a live process (a second app on the same database) are left alone."""
        with self._transaction() as conn:
            rows = conn.execute("SELECT id, owner FROM runs WHERE state IN ('queued', 'running')").fetchall()
            gone = [row["id"] for row in rows if not alive(row["owner"])]
            for ident in gone:
                conn.execute("UPDATE runs SET state = 'failed', finished_at = ?, error = ? WHERE id = ?",
                             (_now(), INTERRUPTED, ident))
        return len(gone)

    def run(self, ident: str, *, with_document: bool = True) -> dict[str, Any] | None:
        """One run (with its result document unless ``with_document`` is False), or None."""
        columns = "id, created_at, started_at, finished_at, state, label, request, error"
        columns += ", document" if with_document else ""
        with self._connect() as conn:
            row = conn.execute(f"SELECT {columns} FROM runs WHERE id = ?", (ident,)).fetchone()
        return None if row is None else _run(row)

    def run_text(self, ident: str) -> tuple[dict[str, Any], str | None, dict[str, Any], float | None] | None:
        """One run without parsing its document: (the run's fields, its document's JSON text or None, its metrics,
        its final equity), or None. For answering with the document as stored."""
        with self._connect() as conn:
            row = conn.execute("SELECT id, created_at, started_at, finished_at, state, label, request, error, "
                               "document, metrics, final_equity FROM runs WHERE id = ?", (ident,)).fetchone()
        if row is None:
            return None
        item = {k: row[k] for k in ("id", "created_at", "started_at", "finished_at", "state", "label", "error")}
        item["request"] = json.loads(row["request"])
        return item, row["document"], json.loads(row["metrics"]) if row["metrics"] else {}, row["final_equity"]

    def result_summary(self, ident: str) -> dict[str, Any] | None:
        """What the KPI tiles of a done run need, without reading its document: its metrics, its final equity and
        its account currency; None unless the run is done."""
        with self._connect() as conn:
            try:
                row = conn.execute("SELECT metrics, final_equity, json_extract(document, '$.settings.currency') "
                                   "AS currency FROM runs WHERE id = ? AND state = 'done'", (ident,)).fetchone()
            except sqlite3.OperationalError:  # a document SQLite cannot read as JSON: no currency
                row = conn.execute("SELECT metrics, final_equity, NULL AS currency FROM runs "
                                   "WHERE id = ? AND state = 'done'", (ident,)).fetchone()
        if row is None:
            return None
        return {"metrics": json.loads(row["metrics"]) if row["metrics"] else {}, "final_equity": row["final_equity"],
                "currency": row["currency"] if isinstance(row["currency"], str) else ""}

    def runs(self, limit: int = 500) -> list[dict[str, Any]]:
        """Newest first, each with its request, metrics and final equity (not the whole document)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, started_at, finished_at, state, label, request, error, metrics, final_equity "
                "FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?", (limit,)).fetchall()
        out = []
        for row in rows:
            item = _run(row)
            item["metrics"] = json.loads(row["metrics"]) if row["metrics"] else None
            item["final_equity"] = row["final_equity"]
            out.append(item)
        return out

    def delete_run(self, ident: str) -> bool:
        """Forget a run that ended; False when there is none or it is still queued or running."""
        with self._transaction() as conn:
            return conn.execute("DELETE FROM runs WHERE id = ? AND state IN ('done', 'failed', 'cancelled')",
                                (ident,)).rowcount == 1


def _json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities as None (strict JSON, which SQLite's json functions and browsers read)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _strategy(row: sqlite3.Row) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "source": json.loads(row["source"]),
            "created_at": row["created_at"], "updated_at": row["updated_at"]}


def _sweep(row: sqlite3.Row) -> dict[str, Any]:
    item = {k: row[k] for k in ("id", "created_at", "finished_at", "state", "label", "total", "done", "error")}
    item["request"] = json.loads(row["request"])
    return item


def _run(row: sqlite3.Row) -> dict[str, Any]:
    keys = row.keys()
    item = {k: row[k] for k in ("id", "created_at", "started_at", "finished_at", "state", "label", "error")}
    item["request"] = json.loads(row["request"])
    if "document" in keys:
        item["document"] = json.loads(row["document"]) if row["document"] else None
    return item
