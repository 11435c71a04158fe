"""Brokers and live trading for the web app: broker profiles without their passwords, live runs started with
:func:`mas.app.start_live` (``LiveRun.start`` / ``stop`` / ``running`` / ``lines``), and what a run's account
holds now (account, positions, pending orders, an equity trail kept from the page's polls).

The account is read through the running strategy's own MAS calls (``get_account_info``, ``get_positions``,
``get_pending_orders``); a position is closed with the strategy's ``send_order`` (the opposite market order
naming the position), only when the request says it was confirmed. Passwords stay where ``mas broker`` keeps
them (the OS keyring or ``MAS_PASSWORD_<PROFILE>``): no route returns one, and a password the page sends for a
new profile goes straight to the keyring.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections import deque
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any

from mas.web.schemas import LiveStartRequest

__all__ = ["LiveBoard", "add_profile", "profiles", "remove_profile"]

log = logging.getLogger("mas.web")
EQUITY_POINTS = 2_000
_POSITION_KEYS = ("ticket", "symbol", "type", "volume", "price_open", "price_current", "sl", "tp", "profit", "swap",
                  "time", "comment")
_ORDER_KEYS = ("ticket", "symbol", "type", "volume_current", "price_open", "sl", "tp", "time_setup", "comment")


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def profiles() -> list[dict[str, Any]]:
    """Every broker profile with where its password comes from (environment, keyring or none), never the password."""
    from mas.live.profiles import load_profiles, resolve_password

    out = []
    for name, profile in sorted(load_profiles().items()):
        row = asdict(profile)
        row["password_from"] = resolve_password(name)[1]
        out.append(row)
    return out


def add_profile(data: dict[str, Any], password: str | None) -> dict[str, Any]:
    """Save a profile (ProfileError, a ValueError naming the field, otherwise); a password goes to the keyring."""
    from mas.live.profiles import BrokerProfile, load_profiles, save_profile, store_keyring_password

    if data["name"] in load_profiles():
        raise ValueError(f"name: a profile {data['name']!r} exists already; remove it first or pick another name")
    profile = BrokerProfile(**data)
    if password:
        store_keyring_password(profile.name, password)
    save_profile(profile)
    return next(p for p in profiles() if p["name"] == profile.name)


def remove_profile(name: str) -> bool:
    from mas.live.profiles import remove_profile as remove

    return remove(name)


def _pick(row: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    row = row if isinstance(row, dict) else getattr(row, "_asdict", lambda: {})()
    out = {k: row.get(k) for k in keys if k in row}
    for key in ("time", "time_setup"):
        if isinstance(out.get(key), datetime):
            out[key] = out[key].strftime("%Y-%m-%d %H:%M:%S")
    return {k: (str(v) if not isinstance(v, (int, float, str, type(None))) else v) for k, v in out.items()}


class _Entry:
    def __init__(self, ident: str, run: Any, label: str, request: dict[str, Any]) -> None:
        self.id, self.run, self.label, self.request = ident, run, label, request
        self.started_at = _now()
        self.equity: deque[list[Any]] = deque(maxlen=EQUITY_POINTS)
        self.error: str | None = None


class LiveBoard:
    """The live runs this process started (kept after they stop, so their last lines stay readable)."""

    def __init__(self) -> None:
        self._runs: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def start(self, request: LiveStartRequest, strategy: Any, label: str) -> str:
        """Start ``strategy`` live on the request's profile; ValueError for a bad profile or timeframe."""
        from mas.app import start_live

        if not request.confirm:
            raise ValueError("confirm: starting a live run must be confirmed (send confirm: true after asking)")
        with self._lock:
            busy = [e for e in self._runs.values() if e.run.running and e.run.profile == request.profile]
        if busy:
            raise ValueError(f"profile: {request.profile} already runs {busy[0].label}; stop it first")
        run = start_live(strategy, request.profile, symbol=request.symbol, timeframe=request.timeframe,
                         interval_ms=request.interval_ms, status_every=5.0, warmup_bars=request.warmup_bars)
        ident = uuid.uuid4().hex
        entry = _Entry(ident, run, label, request.model_dump(exclude={"confirm"}))
        with self._lock:
            self._runs[ident] = entry
        run.start()
        return ident

    def _entry(self, ident: str) -> _Entry:
        with self._lock:
            entry = self._runs.get(ident)
        if entry is None:
            raise LookupError(f"no live run {ident}")
        return entry

    def stop(self, ident: str) -> dict[str, Any]:
        entry = self._entry(ident)
        entry.run.stop()
        return self.summary(entry)

    def summary(self, entry: _Entry) -> dict[str, Any]:
        run = entry.run
        error = None
        if not run.running:
            try:
                run.wait(0)
            except Exception as exc:  # noqa: BLE001 - the reason it ended, shown on the page
                error = str(exc)
        return {"id": entry.id, "label": entry.label, "profile": run.profile, "symbol": run.symbol,
                "timeframe": run.timeframe, "running": run.running, "started_at": entry.started_at,
                "error": error, "notes": list(run.notes)}

    def runs(self) -> list[dict[str, Any]]:
        with self._lock:
            entries = list(self._runs.values())
        return [self.summary(e) for e in reversed(entries)]

    def view(self, ident: str) -> dict[str, Any]:
        """The run's state, its last lines and, while it runs, the account, positions and pending orders."""
        entry = self._entry(ident)
        out = self.summary(entry)
        out["lines"] = list(entry.run.lines)[-50:]
        out["account"], out["positions"], out["orders"] = None, [], []
        if entry.run.running:
            strategy = entry.run.strategy
            try:
                info = strategy.get_account_info() or {}
                out["account"] = {k: info.get(k) for k in ("login", "server", "currency", "balance", "equity",
                                                           "margin", "margin_free", "profit") if k in info}
                out["positions"] = [_pick(p, _POSITION_KEYS) for p in strategy.get_positions() or []]
                out["orders"] = [_pick(o, _ORDER_KEYS) for o in strategy.get_pending_orders() or []]
            except Exception as exc:  # noqa: BLE001 - not logged in yet, or the connection dropped: say so
                out["account_error"] = str(exc)
            if out["account"] and out["account"].get("equity") is not None:
                entry.equity.append([_now(), out["account"]["equity"]])
        out["equity"] = list(entry.equity)
        return out

    def close_position(self, ident: str, ticket: int, confirm: bool) -> dict[str, Any]:
        """Close position ``ticket`` of the run's account with the opposite market order; needs ``confirm``."""
        if not confirm:
            raise ValueError("confirm: closing a position must be confirmed (send confirm: true after asking)")
        entry = self._entry(ident)
        if not entry.run.running:
            raise ValueError(f"run: {entry.label} is not running; its positions stay on the account")
        strategy = entry.run.strategy
        position = next((p for p in strategy.get_positions() or [] if int(p.get("ticket", -1)) == ticket), None)
        if position is None:
            raise LookupError(f"ticket: no open position {ticket} on the account")
        opposite = "sell" if position.get("type") in (0, "buy", "POSITION_TYPE_BUY") else "buy"
        order = strategy.send_order({"backtest_toggle": False, "symbol": position["symbol"], "order_type": opposite,
                                     "volume": float(position["volume"]), "position": ticket,
                                     "comment": "mas ui close"})
        if order is None:
            code, message = strategy.last_error()
            raise ValueError(f"ticket: the broker refused to close {ticket} ({code}: {message})")
        return {"ok": True, "order": order}

    def shutdown(self) -> None:
        """Stop every run (open positions stay on the account)."""
        with self._lock:
            entries = list(self._runs.values())
        for entry in entries:
            entry.run.stop()
