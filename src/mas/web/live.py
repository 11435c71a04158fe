"""Brokers and live trading for the web app: broker profiles without their passwords (with their risk guards),
live runs started with :func:`mas.app.start_live` (``LiveRun.start`` /
``stop`` / ``running`` / ``lines``), and what a run's account holds now.

Each run has a watcher thread that reads, every :data:`SAMPLE_S` seconds while it runs, the account, positions
and pending orders through the running strategy's own MAS calls (``get_account_info``, ``get_positions``,
``get_pending_orders``) and the order journal's entries of that account, and publishes a snapshot with a
version number when anything changed: the page's server-sent events stream sends each new version. A position
is closed with the strategy's ``send_order`` (the opposite market order naming the position), only when the
request says it was confirmed. Passwords stay where ``mas broker`` keeps them (the OS keyring or
``MAS_PASSWORD_<PROFILE>``): no route returns one, and a password the page sends for a new profile goes straight
to the keyring. The active account itself, with or without a run on it, is :class:`mas.web.accounts.AccountBoard`'s
(``LiveBoard.accounts``).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import deque
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any

from mas.i18n.errors import InputError, NotFoundError, localize
from mas.web.accounts import AccountBoard, account_fields, close_position, order_fields, position_fields
from mas.web.language import request_lang
from mas.web.schemas import LiveStartRequest

__all__ = ["LiveBoard", "add_profile", "profiles", "remove_profile"]

log = logging.getLogger("mas.web")
EQUITY_POINTS = 2_000
SAMPLE_S = 0.25  # how often a running run's account is read
JOURNAL_EVERY_S = 1.0  # how often its journal entries are read
JOURNAL_ROWS = 50
EQUITY_EVERY_S = 2.0  # an unchanged equity is added to the trail at most this often


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def profiles() -> list[dict[str, Any]]:
    """Every broker profile with where its password comes from (environment, keyring or none), never the password."""
    from mas.live.profiles import load_profiles, resolve_password

    out = []
    for name, profile in sorted(load_profiles().items()):
        row = asdict(profile)
        row["password_from"] = resolve_password(name)[1]
        row["guards"] = guards_of(profile)
        out.append(row)
    return out


def guards_of(profile: Any) -> str:
    """A profile's risk guards in one line (``max_lots=1 max_positions=3 ...``), or ``none``."""
    guards = profile.guards()
    return guards.describe() if guards is not None else "none"


def profile_guards(name: str) -> str:
    """The risk guards of broker profile ``name`` in one line (``none`` without any); ValueError when unknown."""
    from mas.live.profiles import get_profile

    return guards_of(get_profile(name))


def add_profile(data: dict[str, Any], password: str | None) -> dict[str, Any]:
    """Save a profile (ProfileError, a ValueError naming the field, otherwise); a password goes to the keyring."""
    from mas.live.profiles import BrokerProfile, load_profiles, save_profile, store_keyring_password

    if data["name"] in load_profiles():
        raise InputError("web_live_profile_exists", name=repr(data["name"]))
    profile = BrokerProfile(**data)
    if password:
        store_keyring_password(profile.name, password)
    save_profile(profile)
    return next(p for p in profiles() if p["name"] == profile.name)


def remove_profile(name: str) -> bool:
    """Remove broker profile ``name`` (``mas broker remove``); False when there is none."""
    from mas.live.profiles import remove_profile as remove

    return remove(name)


class _Entry:
    """One live run of this process and what its watcher last read."""

    def __init__(self, ident: str, run: Any, label: str, request: dict[str, Any], guards: str) -> None:
        self.id, self.run, self.label, self.request, self.guards = ident, run, label, request, guards
        self.lang = request_lang()  # the run's lines and notes are said in the language of the tab that started it
        self.started_at = _now()
        self.equity: deque[list[Any]] = deque(maxlen=EQUITY_POINTS)
        self.version = 0
        self.snapshot: dict[str, Any] | None = None
        self.journal: list[dict[str, Any]] = []
        self.journal_read = 0.0
        self.equity_at = 0.0
        self.watched = threading.Event()  # set once the watcher has published the final snapshot


def _journal_row(entry: Any) -> dict[str, Any]:
    request = entry.request if isinstance(entry.request, dict) else {}
    return {"id": entry.id, "client_order_id": entry.client_order_id, "state": entry.state,
            "symbol": request.get("symbol"), "action": request.get("action"), "type": request.get("type"),
            "volume": entry.volume if entry.volume is not None else request.get("volume"),
            "price": entry.price, "position": request.get("position"), "retcode": entry.retcode,
            "order": entry.order_ticket, "deal": entry.deal_ticket, "comment": request.get("comment"),
            "answer": entry.comment}


class LiveBoard:
    """The live runs this process started (kept after they stop, so their last lines stay readable)."""

    def __init__(self) -> None:
        self._runs: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._journal: Any = None
        self.accounts = AccountBoard()
        """The active account, read while the page shows it (with or without a run on it)."""

    def start(self, request: LiveStartRequest, strategy: Any, label: str) -> str:
        """Start ``strategy`` live on the request's profile; ValueError for a bad profile or timeframe."""
        from mas.app import start_live

        if not request.confirm:
            raise InputError("web_live_confirm_start")
        with self._lock:
            busy = [e for e in self._runs.values() if e.run.running and e.run.profile == request.profile]
        if busy:
            raise InputError("web_live_profile_busy", profile=request.profile, label=busy[0].label)
        run = start_live(strategy, request.profile, symbol=request.symbol, timeframe=request.timeframe,
                         interval_ms=request.interval_ms, status_every=5.0, warmup_bars=request.warmup_bars)
        ident = uuid.uuid4().hex
        entry = _Entry(ident, run, label, request.model_dump(exclude={"confirm"}), profile_guards(request.profile))
        with self._lock:
            self._runs[ident] = entry
        run.start()
        threading.Thread(target=self._watch, args=(entry,), name=f"mas-web-watch-{ident[:8]}", daemon=True).start()
        return ident

    def _entry(self, ident: str) -> _Entry:
        with self._lock:
            entry = self._runs.get(ident)
        if entry is None:
            raise NotFoundError("web_live_no_run", ident=ident)
        return entry

    def running_on(self, profile: str) -> str | None:
        """The id of the run trading on ``profile`` now, or None."""
        with self._lock:
            return next((e.id for e in reversed(self._runs.values()) if e.run.running and e.run.profile == profile),
                        None)

    def stop(self, ident: str) -> dict[str, Any]:
        """Ask the run to stop (its positions stay on the account); its summary."""
        entry = self._entry(ident)
        entry.run.stop()
        return self.summary(entry)

    def summary(self, entry: _Entry) -> dict[str, Any]:
        """What the runs list shows of a run: label, profile, market, guards, running or the error it ended with."""
        run = entry.run
        error = None
        if not run.running:
            try:
                run.wait(0)
            except Exception as exc:  # noqa: BLE001 - the reason it ended, shown on the page
                error = str(exc)
        return {"id": entry.id, "label": entry.label, "profile": run.profile, "symbol": run.symbol,
                "timeframe": run.timeframe, "running": run.running, "started_at": entry.started_at,
                "error": error, "notes": [localize(note, entry.lang) for note in run.notes], "guards": entry.guards}

    def runs(self) -> list[dict[str, Any]]:
        """Every run of this process, newest first."""
        with self._lock:
            entries = list(self._runs.values())
        return [self.summary(e) for e in reversed(entries)]

    # ------------------------------------------------------------------ the watcher

    def _watch(self, entry: _Entry) -> None:
        """Read the run's account every SAMPLE_S seconds while it runs; publish the final state when it ends."""
        try:
            while entry.run.running and not self._closing.is_set():
                self._publish(entry, self._read(entry))
                self._closing.wait(SAMPLE_S)
            entry.run.wait(30)
        except Exception:  # noqa: BLE001 - the run's own error is shown by summary()
            log.debug("live run %s ended with an error", entry.id, exc_info=True)
        finally:
            try:
                self._publish(entry, self._read(entry))
            finally:
                entry.watched.set()

    def _read(self, entry: _Entry) -> dict[str, Any]:
        out = self.summary(entry)
        out["lines"] = [localize(line, entry.lang) for line in list(entry.run.lines)[-50:]]
        out["account"], out["positions"], out["orders"] = None, [], []
        if entry.run.running:
            strategy = entry.run.strategy
            try:
                info = strategy.get_account_info() or {}
                out["account"] = account_fields(info)
                out["positions"] = [position_fields(p) for p in strategy.get_positions() or []]
                out["orders"] = [order_fields(o) for o in strategy.get_pending_orders() or []]
            except Exception as exc:  # noqa: BLE001 - not logged in yet, or the connection dropped: say so
                out["account_error"] = str(exc)
        elif entry.snapshot is not None:  # stopped: the last account read stays on the page
            out["account"] = entry.snapshot.get("account")
        login = (out["account"] or {}).get("login")
        now = time.monotonic()
        if login and now - entry.journal_read >= JOURNAL_EVERY_S:
            entry.journal_read = now
            entry.journal = self._journal_rows(int(login))
        out["journal"] = entry.journal
        return out

    def _journal_rows(self, login: int) -> list[dict[str, Any]]:
        """The newest order journal entries of account ``login`` (newest first)."""
        try:
            if self._journal is None:
                from mas.live.journal import Journal

                self._journal = Journal()
            return [_journal_row(e) for e in self._journal.entries(login)[-JOURNAL_ROWS:]][::-1]
        except Exception as exc:  # noqa: BLE001 - a journal that cannot be read leaves the table as it was
            log.info("journal not readable: %s", exc)
            return []

    def _publish(self, entry: _Entry, snapshot: dict[str, Any]) -> None:
        equity = (snapshot.get("account") or {}).get("equity")
        now = time.monotonic()
        changed = entry.snapshot is None or {k: v for k, v in snapshot.items() if k != "equity"} != \
            {k: v for k, v in entry.snapshot.items() if k != "equity"}
        if equity is not None and snapshot["running"] and (
                not entry.equity or entry.equity[-1][1] != equity or now - entry.equity_at >= EQUITY_EVERY_S):
            entry.equity.append([_now(), equity])
            entry.equity_at = now
            changed = True
        if changed:
            snapshot["equity"] = list(entry.equity)
            with self._lock:
                entry.version += 1
                snapshot["version"] = entry.version
                entry.snapshot = snapshot

    def latest(self, ident: str) -> tuple[int, dict[str, Any] | None, bool]:
        """(version, snapshot, final) of run ``ident``: final once the run ended and its last state is published."""
        entry = self._entry(ident)
        with self._lock:
            return entry.version, entry.snapshot, entry.watched.is_set()

    def view(self, ident: str) -> dict[str, Any]:
        """The run's state, its last lines and, while it runs, the account, positions, pending orders, the
        equity trail and the journal's entries of the account (the watcher's latest snapshot)."""
        entry = self._entry(ident)
        _version, snapshot, _final = self.latest(ident)
        if snapshot is None:  # the watcher has not read it yet
            snapshot = self._read(entry)
            snapshot["equity"] = list(entry.equity)
        return snapshot

    def close_position(self, ident: str, ticket: int, confirm: bool) -> dict[str, Any]:
        """Close position ``ticket`` of the run's account with the opposite market order; needs ``confirm``."""
        if not confirm:
            raise InputError("web_live_confirm_close")
        entry = self._entry(ident)
        if not entry.run.running:
            raise InputError("web_live_run_not_running", label=entry.label)
        return close_position(entry.run.strategy, ticket, confirm)

    def shutdown(self) -> None:
        """Stop every run and the active account's watcher (open positions stay on the account)."""
        self._closing.set()
        self.accounts.shutdown()
        with self._lock:
            entries = list(self._runs.values())
        for entry in entries:
            entry.run.stop()
        if self._journal is not None:
            self._journal.close()
