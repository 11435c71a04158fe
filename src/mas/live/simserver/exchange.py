"""The market and the accounts of the sim server, on a wall clock.

One symbol's stored bars are replayed in real time scaled by ``speed`` (market seconds per
real second): the first bar at or after ``start`` is complete when the server starts, and
each later bar completes ``bar_seconds / speed`` real seconds after the one before. Every
account is a :class:`~mas.sim.terminal.SimulatedTerminal` over the same bars, moved bar by bar
with ``advance_bar`` (pending orders, SL/TP, swaps and stop-out happen there, on the server).
Market orders fill at once at the current quote, as on a real MT5 server. Everything that
changes an account is saved to the state file before the answer leaves the server.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from mas.backtest.session import BacktestSettings, build_terminal
from mas.data.timeframes import timeframe_name
from mas.live.simserver.passwords import hash_password, password_matches
from mas.live.simserver.state import AccountRecord, StateStore
from mas.sim.market import Market
from mas.sim.terminal import AccountState, SimulatedTerminal
from mas.terminal import constants as c
from mas.terminal.types import TICKS_DTYPE, OrderSendResult

log = logging.getLogger("mas.sim.server")
_EPOCH = datetime(1970, 1, 1)


class AuthError(Exception):
    """Wrong password (the account exists) or an unusable login."""


@dataclass(frozen=True)
class ReplaySpec:
    """What the server replays and how new accounts start."""

    symbol: str = "EURUSD"
    timeframe: str = "H1"
    start: datetime = datetime(2017, 1, 1)
    speed: float = 1.0
    capital: float = 10_000.0
    server_name: str = "MAS-Sim"


@dataclass
class Account:
    login: int
    salt: bytes
    digest: bytes
    capital: float
    terminal: SimulatedTerminal


class SimExchange:
    """Replayed market + accounts; every public method is thread-safe (one lock)."""

    def __init__(self, spec: ReplaySpec, state_path: Path | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if spec.speed <= 0:
            raise ValueError(f"speed: must be > 0 market seconds per real second, got {spec.speed}")
        self.lock = threading.RLock()
        self.clock = clock
        self.store = StateStore(state_path) if state_path is not None else None
        spec = self._spec_from_state(spec)
        self.spec = spec
        self.symbol = spec.symbol
        settings = BacktestSettings(symbols=[spec.symbol], timeframe=spec.timeframe, start=spec.start, end=None,
                                    capital=spec.capital)
        self.market_terminal, tapes = build_terminal(settings)
        self.tape = tapes[0]
        self.symbol = self.tape.spec.name
        self._ends = np.asarray(self.tape.times, dtype=np.int64) + self.tape.bar_seconds
        self.cursor = self._saved_cursor()
        self._place(self.market_terminal, self.cursor)
        self.accounts: dict[int, Account] = {}
        if self.store is not None:
            for rec in self.store.load_accounts():
                self.accounts[rec.login] = self._restore(rec)
        self._anchor_wall = clock()
        self._anchor_market = float(self._ends[self.cursor])
        self._end_logged = False
        self._save([])

    # ------------------------------------------------------------------ setup and restore
    def _spec_from_state(self, spec: ReplaySpec) -> ReplaySpec:
        """A state file fixes the symbol, timeframe and start of its replay."""
        if self.store is None or self.store.meta("symbol") is None:
            return replace(spec, symbol=spec.symbol.upper(), timeframe=timeframe_name(spec.timeframe))
        saved_symbol, saved_tf = self.store.meta("symbol"), self.store.meta("timeframe")
        wanted_tf = timeframe_name(spec.timeframe)
        if saved_symbol != spec.symbol.upper() or saved_tf != wanted_tf:
            raise ValueError(f"the state file {self.store.path} holds a {saved_symbol} {saved_tf} replay, not "
                             f"{spec.symbol.upper()} {wanted_tf}: use another --state file or the same symbol and "
                             f"timeframe")
        start = datetime.fromisoformat(self.store.meta("start") or spec.start.isoformat())
        if start != spec.start:
            log.info("the state file's replay started at %s; continuing it (--from %s is ignored)", start, spec.start)
        return replace(spec, symbol=saved_symbol, timeframe=saved_tf, start=start)

    def _saved_cursor(self) -> int:
        saved = self.store.meta("last_bar_time") if self.store is not None else None
        if saved is None:
            return 0
        index = int(np.searchsorted(np.asarray(self.tape.times, dtype=np.int64), int(saved)))
        if index >= len(self.tape.times) or self.tape.times[index] != int(saved):
            raise ValueError(f"the state file's last bar ({_as_datetime(int(saved))}) is not in the stored "
                             f"{self.symbol} {self.tape.timeframe} data any more")
        return index

    def _place(self, terminal: SimulatedTerminal, index: int) -> None:
        """Put ``terminal``'s market at the close of bar ``index`` without settling that bar again."""
        terminal.market.set_bar(self.symbol, index)
        terminal.market.now = int(self._ends[index])
        terminal.begin_replay()

    def _new_terminal(self, login: int, capital: float) -> SimulatedTerminal:
        base = self.market_terminal
        market = Market()
        market.add(self.tape)
        market.conversion_loader = base.market.conversion_loader
        market.set_bar(self.symbol, self.cursor)
        market.now = int(self._ends[self.cursor])
        settings = replace(base.settings, capital=capital, login=login, server=self.spec.server_name,
                           name=f"Sim account {login}", company="MAS simulated MT5 server")
        terminal = SimulatedTerminal(settings, base.specs, market, rates_loader=base.rates_loader)
        terminal.begin_replay()
        return terminal

    def _restore(self, rec: AccountRecord) -> Account:
        term = self._new_terminal(rec.login, rec.capital)
        term.restore(AccountState(balance=rec.balance, next_order=rec.next_order, next_deal=rec.next_deal,
                                  positions=rec.positions, orders=rec.orders, history_orders=rec.history_orders,
                                  deals=rec.deals))
        return Account(rec.login, rec.salt, rec.digest, rec.capital, term)

    def _record(self, account: Account) -> AccountRecord:
        book = account.terminal.snapshot()
        return AccountRecord(
            login=account.login, salt=account.salt, digest=account.digest, capital=account.capital,
            balance=book.balance, next_order=book.next_order, next_deal=book.next_deal, positions=book.positions,
            orders=book.orders, history_orders=book.history_orders, deals=book.deals,
        )

    def _save(self, accounts: list[Account]) -> None:
        if self.store is None:
            return
        meta = {"symbol": self.symbol, "timeframe": self.tape.timeframe, "start": self.spec.start.isoformat(),
                "last_bar_time": int(self.tape.times[self.cursor])}
        self.store.save_accounts([self._record(a) for a in accounts], meta)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()

    # ------------------------------------------------------------------ the clock
    def market_time(self) -> float:
        return self._anchor_market + (self.clock() - self._anchor_wall) * self.spec.speed

    def seconds_to_next_bar(self) -> float | None:
        """Real seconds until the next bar completes; None at the end of the data."""
        if self.cursor + 1 >= len(self._ends):
            return None
        return max(0.0, (float(self._ends[self.cursor + 1]) - self.market_time()) / self.spec.speed)

    def catch_up(self) -> int:
        """Settle every bar that has completed by now, on every account; the number settled."""
        with self.lock:
            due = int(np.searchsorted(self._ends, self.market_time(), side="right")) - 1
            due = min(due, len(self._ends) - 1)
            if due <= self.cursor:
                if self.cursor == len(self._ends) - 1 and not self._end_logged:
                    self._end_logged = True
                    log.warning("the replay reached the end of the stored %s %s data; prices stay at the last "
                                "close", self.symbol, self.tape.timeframe)
                return 0
            busy = [a for a in self.accounts.values() if a.terminal.positions or a.terminal.orders]
            terminals = [self.market_terminal] + [a.terminal for a in self.accounts.values()]
            for index in range(self.cursor + 1, due + 1):
                for term in terminals:
                    term.advance_bar(self.symbol, index)
            settled = due - self.cursor
            self.cursor = due
            self._save(busy)
            return settled

    # ------------------------------------------------------------------ accounts
    def authenticate(self, login: int, password: str) -> Account:
        """The account ``login``: created with ``password`` on first use, checked afterwards."""
        if login <= 0 or not password:
            raise AuthError("Invalid account or password")
        with self.lock:
            account = self.accounts.get(login)
        if account is not None:
            if not password_matches(password, account.salt, account.digest):
                raise AuthError("Authorization failed")
            return account
        salt, digest = hash_password(password)
        with self.lock:
            account = self.accounts.get(login)
            if account is None:
                account = Account(login, salt, digest, self.spec.capital,
                                  self._new_terminal(login, self.spec.capital))
                self.accounts[login] = account
                self._save([account])
                log.info("account %s created with %.2f %s", login, self.spec.capital,
                         account.terminal.settings.currency)
                return account
        return self.authenticate(login, password)

    def order_send(self, account: Account, request: dict) -> OrderSendResult:
        """``order_send`` as a real server answers it: market orders are filled at once."""
        with self.lock:
            term = account.terminal
            result = term.order_send(request)
            if result.retcode == c.TRADE_RETCODE_PLACED and int(request.get("action", 0)) == c.TRADE_ACTION_DEAL:
                order = term.orders.get(result.order)
                deal = term.execute(order, term.market.quotes[order.symbol].bid, c.DEAL_REASON_EXPERT, slip=True) \
                    if order is not None else None
                if deal is None:
                    result = result._replace(retcode=c.TRADE_RETCODE_NO_MONEY, comment="No money")
                else:
                    result = result._replace(retcode=c.TRADE_RETCODE_DONE, deal=deal.ticket, volume=deal.volume,
                                             price=deal.price, comment="Request executed")
            self._save([account])
            return result

    # ------------------------------------------------------------------ market data the terminal lacks
    def ticks(self, symbol: str, date_from: int, date_to: int | None, count: int | None) -> np.ndarray | None:
        """Quotes of the replay: one tick at each completed bar's close (its bid and ask)."""
        if symbol != self.symbol:
            return None
        with self.lock:
            n = self.cursor + 1
            times = self._ends[:n]
            lo = int(np.searchsorted(times, int(date_from), side="left"))
            hi = n if date_to is None else int(np.searchsorted(times, int(date_to), side="right"))
            if count is not None:
                hi = min(hi, lo + max(0, int(count)))
            out = np.zeros(max(0, hi - lo), dtype=TICKS_DTYPE)
            if out.size:
                bid = np.asarray(self.tape.close[lo:hi])
                out["time"] = times[lo:hi]
                out["bid"] = bid
                out["ask"] = bid + np.asarray(self.tape.spread_price[lo:hi])
                out["time_msc"] = times[lo:hi] * 1000
                out["flags"] = c.TICK_FLAG_BID | c.TICK_FLAG_ASK
            return out


def run_replay(exchange: SimExchange, stop: threading.Event, max_sleep_s: float = 0.2) -> None:
    """Settle bars as they come due until ``stop`` is set."""
    while not stop.is_set():
        try:
            exchange.catch_up()
        except Exception:  # the replay must go on; the error is in the server log
            log.exception("settling a bar failed")
        wait = exchange.seconds_to_next_bar()
        stop.wait(max_sleep_s if wait is None else min(max_sleep_s, max(0.001, wait)))


def describe(exchange: SimExchange) -> dict[str, Any]:
    """What the server replays, for its start-up line."""
    return {"symbol": exchange.symbol, "timeframe": exchange.tape.timeframe,
            "bar": str(_as_datetime(int(exchange.tape.times[exchange.cursor]))), "speed": exchange.spec.speed,
            "accounts": len(exchange.accounts)}


def _as_datetime(epoch: int) -> datetime:
    return _EPOCH + timedelta(seconds=epoch)
