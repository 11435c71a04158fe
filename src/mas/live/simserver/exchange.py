"""The market and the accounts of the sim server, on a wall clock.

One symbol's stored bars are replayed in real time scaled by ``speed`` (market seconds per
real second): the first bar at or after ``start`` is complete when the server starts, and
each later bar completes ``bar_seconds / speed`` real seconds after the one before. Every
account is a :class:`~mas.sim.terminal.SimulatedTerminal` over the same bars, moved bar by bar
with ``advance_bar`` (pending orders, SL/TP, swaps and stop-out happen there, on the server).
Market orders fill at once at the current quote, as on a real MT5 server. Everything that
changes an account is saved to the state file before the answer leaves the server; each account
is saved on its own, so one account's failed save is logged, retried at the next bar and never
stops the others.

Accounts come from the operator's accounts file, or are created at their first login only when
``ReplaySpec.allow_new_accounts`` is set (:mod:`.access` checks logins and limits failures).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from mas.backtest.session import build_terminal
from mas.data.timeframes import timeframe_name
from mas.i18n.errors import InputError, Text
from mas.live.simserver.access import AccountSeed, AuthError, LoginLimiter, login_problem, password_problem
from mas.live.simserver.history import ServedHistory
from mas.live.simserver.passwords import hash_password, password_matches
from mas.live.simserver.state import AccountRecord, StateStore
from mas.sim.market import Market
from mas.sim.settings import BacktestSettings
from mas.sim.terminal import AccountState, SimulatedTerminal
from mas.terminal import constants as c
from mas.terminal.types import OrderSendResult

log = logging.getLogger("mas.sim.server")
_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class ReplaySpec:
    """What the server replays and how new accounts start."""

    symbol: str = "EURUSD"
    timeframe: str = "H1"
    start: datetime = datetime(2017, 1, 1)
    speed: float = 1.0
    capital: float = 10_000.0
    server_name: str = "MAS-Sim"
    allow_new_accounts: bool = False  # any unknown login creates an account (paper trading)


@dataclass
class Account:
    """One account of the server: its login, password digest, deposit and simulated terminal."""
    login: int
    salt: bytes
    digest: bytes
    capital: float
    terminal: SimulatedTerminal
    currency: str | None = None
    leverage: int | None = None


class SimExchange:
    """Replayed market + accounts; every public method is thread-safe (one lock)."""

    def __init__(self, spec: ReplaySpec, state_path: Path | None = None,
                 clock: Callable[[], float] = time.monotonic, accounts: dict[int, AccountSeed] | None = None,
                 limiter: LoginLimiter | None = None) -> None:
        if spec.speed <= 0:
            raise InputError("simsrv_speed", value=spec.speed)
        self.lock = threading.RLock()
        self.clock = clock
        self.seeds = dict(accounts or {})
        self._decoy = hash_password("decoy")
        self.limiter = limiter if limiter is not None else LoginLimiter()
        self._unsaved: set[int] = set()  # accounts whose last save failed: saved again at the next bar
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
        self.history = ServedHistory(self.tape, lambda tf: self.market_terminal.rates_loader(self.symbol, tf))
        records = self.store.load_accounts() if self.store is not None else []
        self.cursor = max([self._saved_cursor()] + [self._bar_index(r.bar_time) for r in records
                                                     if r.bar_time is not None])
        self._place(self.market_terminal, self.cursor)
        self.accounts: dict[int, Account] = {}
        for rec in records:
            self.accounts[rec.login] = self._restore(rec)
        self._anchor_wall = clock()
        self._anchor_market = float(self._ends[self.cursor])
        self._end_logged = False
        self._save_meta()
        self._save([a for a in self.accounts.values() if a.login in self._unsaved])

    # ------------------------------------------------------------------ setup and restore
    def _spec_from_state(self, spec: ReplaySpec) -> ReplaySpec:
        """A state file fixes the symbol, timeframe and start of its replay."""
        if self.store is None or self.store.meta("symbol") is None:
            return replace(spec, symbol=spec.symbol.upper(), timeframe=timeframe_name(spec.timeframe))
        saved_symbol, saved_tf = self.store.meta("symbol"), self.store.meta("timeframe")
        wanted_tf = timeframe_name(spec.timeframe)
        if saved_symbol != spec.symbol.upper() or saved_tf != wanted_tf:
            raise InputError("simsrv_state_other_replay", path=self.store.path, symbol=saved_symbol,
                             timeframe=saved_tf, wanted_symbol=spec.symbol.upper(), wanted_timeframe=wanted_tf)
        start = datetime.fromisoformat(self.store.meta("start") or spec.start.isoformat())
        if start != spec.start:
            log.info("the state file's replay started at %s; continuing it (--from %s is ignored)", start, spec.start)
        return replace(spec, symbol=saved_symbol, timeframe=saved_tf, start=start)

    def _saved_cursor(self) -> int:
        saved = self.store.meta("last_bar_time") if self.store is not None else None
        return 0 if saved is None else self._bar_index(int(saved))

    def _bar_index(self, bar_time: int) -> int:
        index = int(np.searchsorted(np.asarray(self.tape.times, dtype=np.int64), int(bar_time)))
        if index >= len(self.tape.times) or self.tape.times[index] != int(bar_time):
            raise InputError("simsrv_state_bar_gone", bar=_as_datetime(int(bar_time)), symbol=self.symbol,
                             timeframe=self.tape.timeframe)
        return index

    def _place(self, terminal: SimulatedTerminal, index: int) -> None:
        """Put ``terminal``'s market at the close of bar ``index`` without settling that bar again."""
        terminal.market.set_bar(self.symbol, index)
        terminal.market.now = int(self._ends[index])
        terminal.begin_replay()

    def _new_terminal(self, login: int, capital: float, currency: str | None = None, leverage: int | None = None,
                      index: int | None = None) -> SimulatedTerminal:
        base = self.market_terminal
        index = self.cursor if index is None else index
        market = Market()
        market.add(self.tape)
        market.conversion_loader = base.market.conversion_loader
        market.set_bar(self.symbol, index)
        market.now = int(self._ends[index])
        settings = replace(base.settings, capital=capital, login=login, server=self.spec.server_name,
                           name=f"Sim account {login}", company="MAS simulated MT5 server",
                           currency=currency or base.settings.currency, leverage=leverage or base.settings.leverage)
        terminal = SimulatedTerminal(settings, base.specs, market, rates_loader=base.rates_loader)
        terminal.begin_replay()
        return terminal

    def _restore(self, rec: AccountRecord) -> Account:
        """The account as saved; a book saved at an earlier bar than the replay's is settled up to it."""
        idle = not rec.positions and not rec.orders  # nothing a bar could settle
        at = self.cursor if rec.bar_time is None or idle else self._bar_index(rec.bar_time)
        term = self._new_terminal(rec.login, rec.capital, rec.currency, rec.leverage, index=at)
        term.restore(AccountState(balance=rec.balance, next_order=rec.next_order, next_deal=rec.next_deal,
                                  positions=rec.positions, orders=rec.orders, history_orders=rec.history_orders,
                                  deals=rec.deals))
        for index in range(at + 1, self.cursor + 1):
            term.advance_bar(self.symbol, index)
        if at < self.cursor:
            log.info("account %s was saved at an earlier bar: settled %d bar(s) up to the replay", rec.login,
                     self.cursor - at)
            self._unsaved.add(rec.login)
        seed = self.seeds.get(rec.login)
        salt, digest = (seed.salt, seed.digest) if seed is not None else (rec.salt, rec.digest)
        if seed is not None and (salt, digest) != (rec.salt, rec.digest):
            self._unsaved.add(rec.login)  # the accounts file changed the password
        return Account(rec.login, salt, digest, rec.capital, term, rec.currency, rec.leverage)

    def _record(self, account: Account) -> AccountRecord:
        book = account.terminal.snapshot()
        return AccountRecord(
            login=account.login, salt=account.salt, digest=account.digest, capital=account.capital,
            balance=book.balance, next_order=book.next_order, next_deal=book.next_deal, positions=book.positions,
            orders=book.orders, history_orders=book.history_orders, deals=book.deals, currency=account.currency,
            leverage=account.leverage, bar_time=int(self.tape.times[self.cursor]),
        )

    def _save_meta(self) -> bool:
        """Save the replay's bar (before the accounts: a book is never ahead of it). False if it failed."""
        if self.store is None:
            return True
        try:
            self.store.set_meta({"symbol": self.symbol, "timeframe": self.tape.timeframe,
                                 "start": self.spec.start.isoformat(),
                                 "last_bar_time": int(self.tape.times[self.cursor])})
            return True
        except Exception:  # the accounts carry their own bar; the replay goes on
            log.exception("saving the replay's bar to %s failed", self.store.path)
            return False

    def _save(self, accounts: list[Account]) -> list[int]:
        """Save each account in its own transaction; the logins whose save failed (logged, retried later)."""
        if self.store is None:
            return []
        failed = []
        for account in accounts:
            try:
                self.store.save_accounts([self._record(account)])
            except Exception:
                log.exception("saving account %s failed; it is saved again at the next bar", account.login)
                self._unsaved.add(account.login)
                failed.append(account.login)
            else:
                self._unsaved.discard(account.login)
        return failed

    def close(self) -> None:
        """Close the state file, if there is one."""
        if self.store is not None:
            self.store.close()

    # ------------------------------------------------------------------ the clock
    def market_time(self) -> float:
        """The replay's market time now (epoch seconds): the wall clock scaled by ``speed``."""
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
            busy = [a for a in self.accounts.values()
                    if a.terminal.positions or a.terminal.orders or a.login in self._unsaved]
            for index in range(self.cursor + 1, due + 1):
                self.market_terminal.advance_bar(self.symbol, index)
                for account in self.accounts.values():
                    try:
                        account.terminal.advance_bar(self.symbol, index)
                    except Exception:  # one broken book must not stop the replay of the others
                        log.exception("settling bar %d of account %s failed", index, account.login)
            settled = due - self.cursor
            self.cursor = due
            self._save_meta()
            self._save(busy)
            return settled

    # ------------------------------------------------------------------ accounts
    def authenticate(self, login: object, password: object, peer: str = "local") -> Account:
        """The account ``login`` if ``password`` is its password. An unknown login gets an account
        only if the accounts file lists it or ``allow_new_accounts`` is set. Checks come first:
        nothing is hashed or stored for a malformed login or password or a rate-limited one."""
        problem = login_problem(login) or password_problem(password)
        if problem:
            raise AuthError(problem, c.RES_E_INVALID_PARAMS)
        assert isinstance(login, int) and isinstance(password, str)
        wait = self.limiter.wait_s(login, peer)
        if wait > 0:
            raise AuthError(Text("simsrv_login_throttled", seconds=math.ceil(wait)), c.RES_E_AUTH_FAILED)
        with self.lock:
            account = self.accounts.get(login)
        seed = self.seeds.get(login)
        if account is not None or seed is not None:
            salt, digest = (account.salt, account.digest) if account is not None else (seed.salt, seed.digest)
            if not password_matches(password, salt, digest):
                self.limiter.failed(login, peer)
                raise AuthError(Text("simsrv_auth_failed"), c.RES_E_AUTH_FAILED)
        elif not self.spec.allow_new_accounts:
            password_matches(password, *self._decoy)  # as slow as a wrong password: logins cannot be probed
            self.limiter.failed(login, peer)
            raise AuthError(Text("simsrv_auth_failed"), c.RES_E_AUTH_FAILED)
        else:
            salt, digest = hash_password(password)
        self.limiter.succeeded(login)
        with self.lock:
            existing = self.accounts.get(login)
            if existing is not None:
                return existing
            capital = seed.balance if seed is not None else self.spec.capital
            currency, leverage = (seed.currency, seed.leverage) if seed is not None else (None, None)
            account = Account(login, salt, digest, capital, self._new_terminal(login, capital, currency, leverage),
                              currency, leverage)
            self.accounts[login] = account
            if self._save([account]):
                del self.accounts[login]
                self._unsaved.discard(login)
                raise AuthError(Text("simsrv_account_not_created"), c.RES_E_INTERNAL_FAIL)
            log.info("account %s created with %.2f %s", login, capital, account.terminal.settings.currency)
            return account

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
            self._save([account])  # a failed save is logged and retried at the next bar; the trade stands
            return result

    # ------------------------------------------------------------------ what the server quotes
    @property
    def quoted(self) -> tuple[str, ...]:
        """The symbols this server quotes (and the only ones it lists)."""
        return (self.symbol,)

    def forming(self) -> bool:
        """True while the market clock is inside a bar that has not completed (the market is open)."""
        nxt = self.cursor + 1
        return nxt < len(self.tape.times) and self.market_time() >= float(self.tape.times[nxt])

    def bars(self, timeframe: str) -> np.ndarray:
        """Every stored ``timeframe`` bar up to now, the forming one last (:class:`.history.ServedHistory`)."""
        with self.lock:
            return self.history.bars(timeframe, self.cursor, self.forming())

    def ticks(self, symbol: str, date_from: int, date_to: int | None, count: int | None) -> np.ndarray | None:
        """Quotes of the replay up to now, also before its start: one tick at each completed bar's close."""
        if symbol != self.symbol:
            return None
        with self.lock:
            return self.history.ticks(self.cursor, date_from, date_to, count)


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
