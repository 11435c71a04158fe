"""The active account on the brokers page, with or without a strategy trading on it.

While the page shows it (each read of :meth:`AccountBoard.want` keeps it wanted for :data:`IDLE_S` seconds), a
watcher thread holds one client of :func:`mas.app.live.open_account` logged in to the active profile and reads,
every :data:`SAMPLE_S` seconds, the account figures, open positions and pending orders, and every
:data:`DEALS_EVERY_S` seconds the deals since the last one seen; it publishes a snapshot with a version number
when anything changed (the page's server-sent events stream sends each new version). Nobody watching for
:data:`IDLE_S` seconds, or another profile made active, logs the client out. A position is closed through that
client's ``send_order`` (journaled, checked by the profile's risk guards), only when the request says it was
confirmed. Passwords stay where ``mas broker`` keeps them; no snapshot holds one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from mas.i18n.errors import InputError, NotFoundError, text_of

__all__ = ["AccountBoard", "account_fields", "close_position", "order_fields", "position_fields"]

log = logging.getLogger("mas.web")
SAMPLE_S = 0.5  # how often the watched account is read
DEALS_EVERY_S = 2.0  # how often its new deals are read
RETRY_S = 3.0  # how long after a failed login the watcher tries again
IDLE_S = 30.0  # the client logs out after this long without anyone wanting the account
DEALS_SHOWN = 20
_ACCOUNT_KEYS = ("login", "server", "name", "company", "currency", "leverage", "balance", "equity", "margin",
                 "margin_free", "margin_level", "profit")
_POSITION_KEYS = ("ticket", "symbol", "type", "volume", "price_open", "price_current", "sl", "tp", "profit", "swap",
                  "time", "comment")
_ORDER_KEYS = ("ticket", "symbol", "type", "volume_current", "price_open", "sl", "tp", "time_setup", "comment")
_DEAL_KEYS = ("ticket", "order", "position_id", "time", "symbol", "type", "entry", "volume", "price", "profit",
              "commission", "swap", "comment")


def _open_account(profile: str) -> Any:
    from mas.app.live import open_account

    return open_account(profile)


def _pick(row: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    row = row if isinstance(row, dict) else getattr(row, "_asdict", lambda: {})()
    out = {k: row.get(k) for k in keys if k in row}
    for key in ("time", "time_setup"):
        if isinstance(out.get(key), datetime):
            out[key] = out[key].strftime("%Y-%m-%d %H:%M:%S")
    return {k: (str(v) if not isinstance(v, (int, float, str, type(None))) else v) for k, v in out.items()}


def account_fields(info: Any) -> dict[str, Any]:
    """What the page shows of an account (``get_account_info``'s dict or an MT5 record): login, server, balance,
    equity, margin, ... never a credential."""
    row = info if isinstance(info, dict) else getattr(info, "_asdict", lambda: {})()
    return {k: row.get(k) for k in _ACCOUNT_KEYS if k in row}


def position_fields(row: Any) -> dict[str, Any]:
    """What the page shows of an open position (times as text)."""
    return _pick(row, _POSITION_KEYS)


def order_fields(row: Any) -> dict[str, Any]:
    """What the page shows of a pending order (times as text)."""
    return _pick(row, _ORDER_KEYS)


def deal_fields(row: Any) -> dict[str, Any]:
    """What the page shows of a deal (times as text)."""
    return _pick(row, _DEAL_KEYS)


def close_position(client: Any, ticket: int, confirm: bool) -> dict[str, Any]:
    """Close position ``ticket`` of ``client``'s live account (a running strategy, or a client of
    :func:`mas.app.live.open_account`) with the opposite market order through its ``send_order`` (journaled,
    checked by the profile's risk guards); needs ``confirm``. LookupError when no such position is open, ValueError
    with the broker's answer when it refuses."""
    if not confirm:
        raise InputError("web_live_confirm_close")
    position = next((p for p in client.get_positions() or [] if int(p.get("ticket", -1)) == ticket), None)
    if position is None:
        raise NotFoundError("web_live_no_position", ticket=ticket)
    opposite = "sell" if position.get("type") in (0, "buy", "POSITION_TYPE_BUY") else "buy"
    order = client.send_order({"backtest_toggle": False, "symbol": position["symbol"], "order_type": opposite,
                               "volume": float(position["volume"]), "position": ticket, "comment": "mas ui close"})
    if order is None:
        code, message = client.last_error()
        raise InputError("web_live_close_refused", ticket=ticket, code=code, message=message)
    return {"ok": True, "order": order}


class _Watch:
    """One watcher: the profile, its stop flag, its client once logged in, and the deals read so far."""

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.stop = threading.Event()
        self.client: Any = None
        self.deals: dict[int, dict[str, Any]] = {}
        self.deals_since: datetime | None = None
        self.deals_read = 0.0
        self.thread: threading.Thread | None = None


class AccountBoard:
    """The active account of the web app, read while someone looks at it."""

    def __init__(self, open_account: Callable[[str], Any] = _open_account) -> None:
        self._open = open_account
        self._lock = threading.Lock()  # the board's state
        self._use = threading.Lock()  # the client: one call at a time (reads, a close)
        self._watch: _Watch | None = None
        self._snapshot: dict[str, Any] | None = None
        self._version = 0
        self._wanted = 0.0
        self._closing = threading.Event()

    def want(self, profile: str | None) -> tuple[int, dict[str, Any] | None]:
        """Keep ``profile``'s account watched for :data:`IDLE_S` more seconds (None: no active account, stop
        watching); (version, latest snapshot), the snapshot None until the first read of that profile."""
        with self._lock:
            self._wanted = time.monotonic()
            watch = self._watch
            alive = watch is not None and watch.thread is not None and watch.thread.is_alive()
            if watch is not None and (watch.profile != profile or not alive):
                watch.stop.set()
                self._watch = watch = None
            if watch is None and profile is not None and not self._closing.is_set():
                self._start(_Watch(profile))
            if profile is None:
                self._snapshot = None
            snapshot = self._snapshot if self._snapshot is None or self._snapshot["profile"] == profile else None
            return self._version, snapshot

    def activate(self, profile: str) -> dict[str, Any]:
        """Log in to ``profile``'s account now (the page's one-click switch), read it and keep watching it with
        that client; its figures (never a credential). :class:`mas.app.live.LiveRunError` or ValueError naming
        why the login failed (the account watched before stays as it was)."""
        client = self._open(profile)
        try:
            info = client.get_account_info() or {}
            if "error" in info:
                raise InputError("web_live_no_account_info", name=profile)
        except BaseException:
            client.shutdown_mt5()
            raise
        watch = _Watch(profile)
        watch.client = client
        with self._lock:
            self._wanted = time.monotonic()
            if self._watch is not None:
                self._watch.stop.set()
            if self._closing.is_set():
                watch.stop.set()
            self._start(watch)
        return account_fields(info)

    def _start(self, watch: _Watch) -> None:
        """Make ``watch`` the board's and start its thread (the lock held)."""
        self._watch, self._snapshot = watch, None
        watch.thread = threading.Thread(target=self._run, args=(watch,), name=f"mas-web-account-{watch.profile}",
                                        daemon=True)
        watch.thread.start()

    def view(self, profile: str | None, wait_s: float = 10.0) -> dict[str, Any]:
        """The latest snapshot of ``profile``'s account, waiting up to ``wait_s`` seconds for the first read;
        LookupError without an active profile."""
        if profile is None:
            raise NotFoundError("web_live_no_active")
        deadline = time.monotonic() + wait_s
        _version, snapshot = self.want(profile)
        while snapshot is None and time.monotonic() < deadline and not self._closing.is_set():
            time.sleep(0.05)
            _version, snapshot = self.want(profile)
        return snapshot if snapshot is not None else {"profile": profile, "connected": False, "error": None,
                                                      "account": None, "positions": [], "orders": [], "deals": []}

    def close_position(self, profile: str | None, ticket: int, confirm: bool) -> dict[str, Any]:
        """Close position ``ticket`` of ``profile``'s account at the market (needs ``confirm``) through the
        watcher's client, or a client logged in for this one order when nobody watches; the order. LookupError
        without an active profile or without that position, ValueError when the broker refuses."""
        if not confirm:
            raise InputError("web_live_confirm_close")
        if profile is None:
            raise NotFoundError("web_live_no_active")
        with self._lock:
            watch = self._watch if self._watch is not None and self._watch.profile == profile else None
            client = watch.client if watch is not None else None
        if client is None:
            client = self._open(profile)
            try:
                return close_position(client, ticket, confirm)
            finally:
                client.shutdown_mt5()
        with self._use:
            answer = close_position(client, ticket, confirm)
        if watch is not None:
            watch.deals_read = 0.0  # the close's deal shows at the next read
        return answer

    def shutdown(self) -> None:
        """Stop watching and log the client out."""
        self._closing.set()
        with self._lock:
            watch, self._watch = self._watch, None
        if watch is not None:
            watch.stop.set()
            if watch.thread is not None:
                watch.thread.join(10)

    # ------------------------------------------------------------------ the watcher

    def _idle(self) -> bool:
        with self._lock:
            return time.monotonic() - self._wanted > IDLE_S

    def _run(self, watch: _Watch) -> None:
        try:
            while not watch.stop.is_set() and not self._closing.is_set() and not self._idle():
                if watch.client is None:
                    try:
                        client = self._open(watch.profile)
                    except Exception as exc:  # noqa: BLE001 - a login that fails is shown on the page, retried
                        self._publish(watch, {"connected": False, "error": text_of(exc), "account": None,
                                              "positions": [], "orders": [], "deals": []})
                        watch.stop.wait(RETRY_S)
                        continue
                    with self._lock:
                        watch.client = client
                    if watch.stop.is_set():
                        break
                try:
                    snapshot = self._read(watch)
                except Exception as exc:  # noqa: BLE001 - a read that fails is shown, and tried again later
                    log.info("account %s not readable: %s", watch.profile, exc)
                    self._publish(watch, {"connected": False, "error": text_of(exc), "account": None,
                                          "positions": [], "orders": [], "deals": self._deals(watch)})
                    watch.stop.wait(RETRY_S)
                    continue
                self._publish(watch, snapshot)
                watch.stop.wait(SAMPLE_S)
        finally:
            with self._lock:
                client, watch.client = watch.client, None
            if client is not None:
                with self._use:
                    client.shutdown_mt5()

    def _read(self, watch: _Watch) -> dict[str, Any]:
        client = watch.client
        with self._use:
            info = client.get_account_info() or {}
            if "error" in info:  # the connection dropped: the client reconnects by itself
                return {"connected": False, "error": str(info["error"]), "account": None, "positions": [],
                        "orders": [], "deals": self._deals(watch)}
            out = {"connected": True, "error": None, "account": account_fields(info),
                   "positions": [position_fields(p) for p in client.get_positions() or []],
                   "orders": [order_fields(o) for o in client.get_pending_orders() or []]}
            now = time.monotonic()
            if now - watch.deals_read >= DEALS_EVERY_S:
                watch.deals_read = now
                params = {"from": watch.deals_since} if watch.deals_since is not None else None
                for row in client.get_order_history(params) or []:
                    if row.get("symbol"):  # balance operations have none
                        watch.deals[int(row["ticket"])] = row
                        moment = row.get("time")
                        if isinstance(moment, datetime) and (watch.deals_since is None or moment > watch.deals_since):
                            watch.deals_since = moment
                newest = sorted(watch.deals.values(), key=lambda r: (r.get("time") or datetime.min, r["ticket"]))
                watch.deals = {int(r["ticket"]): r for r in newest[-DEALS_SHOWN:]}
        out["deals"] = self._deals(watch)
        return out

    @staticmethod
    def _deals(watch: _Watch) -> list[dict[str, Any]]:
        rows = sorted(watch.deals.values(), key=lambda r: (r.get("time") or datetime.min, r["ticket"]), reverse=True)
        return [deal_fields(r) for r in rows]

    def _publish(self, watch: _Watch, snapshot: dict[str, Any]) -> None:
        snapshot["profile"] = watch.profile
        with self._lock:
            if self._watch is not watch:
                return
            current = self._snapshot
            if current is not None and {k: v for k, v in current.items() if k != "version"} == snapshot:
                return
            self._version += 1
            snapshot["version"] = self._version
            self._snapshot = snapshot

