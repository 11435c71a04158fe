"""The terminal contract: the same MetaTrader5 checks against every kind of terminal behind the seam.

- ``backtest``: the simulated terminal of a bar backtest over the bundled EURUSD H1 2017 sample
  (``mas.backtest.session.build_terminal``), its clock moved bar by bar;
- ``sim-server``: :class:`SimTerminalClient` against ``mas sim serve`` in its own process on 127.0.0.1;
- ``live-mt5``: :class:`LiveTerminal` as ``mas.live.connect`` opens it over the ``MetaTrader5`` package,
  here a stand-in package whose functions are a sim server's session in this process (no wire), so it
  quotes, fills and keeps history like a broker's terminal.

Where a terminal differs from MetaTrader5 on purpose, the check is marked xfail (strict) with the reason.
"""

from __future__ import annotations

import itertools
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pytest

from live.conftest import ServerProcess, wait_until
from mas.backtest.session import build_terminal
from mas.live.connect import connect_terminal
from mas.live.sim_client import SimTerminalClient
from mas.live.simserver import ReplaySpec, SimExchange
from mas.live.simserver.service import TerminalSession
from mas.live.terminal import LiveTerminal
from mas.live.wire import decode, encode
from mas.sim.settings import BacktestSettings
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c
from mas.terminal.protocol import MT5_FUNCTIONS, Terminal, signature_problems
from mas.terminal.types import (
    RATES_DTYPE,
    AccountInfo,
    OrderCheckResult,
    OrderSendResult,
    SymbolInfo,
    TerminalInfo,
    Tick,
    TradeDeal,
    TradeOrder,
    TradePosition,
)

START = datetime(2017, 1, 2)
LOGIN, PASSWORD = 1001, "demo-pass"
MAGIC = 77


@dataclass
class Subject:
    """A logged-in terminal and how to let its market move on."""

    kind: str
    term: Terminal
    settle: Callable[[], None]
    """Lets the market move on: the backtest fills market orders at the next bar's open."""
    fills_at_once: bool
    """Whether a market order is filled inside ``order_send`` (as on a broker's server)."""
    login: int | None


class MetaTrader5OverSession(types.ModuleType):
    """A stand-in ``MetaTrader5`` package: each MetaTrader5 function runs in a sim server's session, in this
    process, with the arguments as the server receives them (datetimes as epoch seconds). A call with
    arguments the session cannot take answers None with ``RES_E_INVALID_PARAMS``."""

    def __init__(self, session: TerminalSession) -> None:
        super().__init__("MetaTrader5")
        self.session = session

    def __getattr__(self, name: str) -> Any:
        if name not in MT5_FUNCTIONS:
            raise AttributeError(f"module 'MetaTrader5' has no attribute {name!r}")
        session = self.__dict__["session"]

        def function(*args: Any, **kwargs: Any) -> Any:
            try:
                return session.call(name, tuple(decode(encode(a)) for a in args),
                                    {key: decode(encode(value)) for key, value in kwargs.items()})
            except (TypeError, ValueError, KeyError):
                session.error = (c.RES_E_INVALID_PARAMS, f"{name}: invalid parameters")
                return None

        return function


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        root = tmp_path_factory.mktemp("contract")
        patch.setenv("MAS_HOME", str(root / "mas_home"))
        patch.setenv("MAS_REPORT_DIR", str(root / "reports"))
        yield


def _backtest() -> Iterator[Subject]:
    settings = BacktestSettings(symbols=["EURUSD"], timeframe="H1", start=START, end=datetime(2017, 3, 31))
    term, _ = build_terminal(settings)
    assert isinstance(term, SimulatedTerminal)
    term.begin_replay()
    bars = itertools.count()

    def settle() -> None:
        term.advance_bar("EURUSD", next(bars))

    for _ in range(30):
        settle()
    yield Subject("backtest", term, settle, fills_at_once=False, login=None)
    term.end_replay()


def _sim_server() -> Iterator[Subject]:
    server = ServerProcess()
    try:
        term = SimTerminalClient("127.0.0.1", server.port)
        assert term.initialize(login=LOGIN, password=PASSWORD, server="MAS-Sim")

        def thirty_bars() -> bool:
            rates = term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, 0, 30)
            return rates is not None and len(rates) == 30

        assert wait_until(thirty_bars)
        yield Subject("sim-server", term, lambda: None, fills_at_once=True, login=LOGIN)
        term.shutdown()
    finally:
        server.kill()


def _live_mt5() -> Iterator[Subject]:
    wall = [0.0]
    exchange = SimExchange(ReplaySpec(start=START, speed=3600.0, allow_new_accounts=True), clock=lambda: wall[0])
    wall[0] = 30.0  # 30 H1 bars of the replay have passed
    assert exchange.catch_up() == 30
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "MetaTrader5", MetaTrader5OverSession(TerminalSession(exchange)))
        term = connect_terminal({"terminal": "mt5", "password": PASSWORD, "server": "MAS-Sim", "timeout": 3000},
                                LOGIN)
        assert isinstance(term, LiveTerminal) and term.kind == "mt5"
        yield Subject("live-mt5", term, lambda: None, fills_at_once=True, login=LOGIN)
        term.shutdown()


@pytest.fixture(scope="module", params=["backtest", "sim-server", "live-mt5"])
def subject(request, home) -> Iterator[Subject]:
    yield from {"backtest": _backtest, "sim-server": _sim_server, "live-mt5": _live_mt5}[request.param]()


def differs(request, subject: Subject, kind: str, reason: str) -> None:
    """Mark this check an expected failure (strict: it fails once the terminal behaves like MetaTrader5)."""
    if subject.kind == kind:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))


def market(term: Terminal, order_type: int = c.ORDER_TYPE_BUY, volume: float = 0.1, **extra: Any) -> dict:
    tick = term.symbol_info_tick("EURUSD")
    assert tick is not None
    return {"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "volume": volume, "type": order_type,
            "price": tick.ask if order_type == c.ORDER_TYPE_BUY else tick.bid, "deviation": 50, "magic": MAGIC,
            "type_filling": c.ORDER_FILLING_FOK, "type_time": c.ORDER_TIME_GTC, "comment": "contract", **extra}


def the_deals(subject: Subject, **which: int) -> tuple[TradeDeal, ...]:
    deals = subject.term.history_deals_get(**which)
    assert deals is not None, subject.term.last_error()
    return deals


def open_position(subject: Subject) -> TradeDeal:
    """A market buy of 0.1 lots, filled; its entry deal."""
    result = subject.term.order_send(market(subject.term))
    assert result is not None and result.order > 0, subject.term.last_error()
    if not subject.fills_at_once:
        subject.settle()
    (deal,) = the_deals(subject, ticket=result.order)
    return deal


# ---------------------------------------------------------------------------------------------- the checks
def test_it_is_a_terminal(subject):
    assert isinstance(subject.term, Terminal)
    assert signature_problems(type(subject.term)) == []


def test_version_and_terminal_info(subject):
    version = subject.term.version()
    assert isinstance(version, tuple) and len(version) == 3
    assert isinstance(version[0], int) and isinstance(version[1], int) and isinstance(version[2], str)
    info = subject.term.terminal_info()
    assert isinstance(info, TerminalInfo) and info.connected is True


def test_account_info(subject):
    info = subject.term.account_info()
    assert isinstance(info, AccountInfo)
    if subject.login is not None:
        assert info.login == subject.login
    assert isinstance(info.login, int) and info.login > 0
    assert isinstance(info.leverage, int) and info.leverage == 100
    for field in ("balance", "equity", "margin", "margin_free", "profit"):
        assert isinstance(getattr(info, field), float), field
    assert info.balance > 0 and info.currency == "USD" and isinstance(info.server, str) and info.server
    assert info.margin_free == pytest.approx(info.equity - info.margin, abs=0.011)


def test_symbol_info_of_eurusd(subject):
    info = subject.term.symbol_info("EURUSD")
    assert isinstance(info, SymbolInfo)
    assert (info.name, info.digits, info.point, info.trade_contract_size) == ("EURUSD", 5, 1e-5, 100_000.0)
    assert (info.currency_base, info.currency_profit) == ("EUR", "USD")
    assert info.volume_min == 0.01 and info.volume_step == 0.01
    assert 0.9 < info.bid <= info.ask < 1.3
    tick = subject.term.symbol_info_tick("EURUSD")
    assert isinstance(tick, Tick) and 0.9 < tick.bid <= tick.ask < 1.3 and isinstance(tick.time, int)


def test_symbols_get_filters_by_group(subject):
    everything = subject.term.symbols_get()
    assert everything and subject.term.symbols_total() == len(everything)
    with_usd = [s.name for s in subject.term.symbols_get("*USD*")]
    assert "EURUSD" in with_usd and all("USD" in name for name in with_usd)
    assert "EURUSD" not in [s.name for s in subject.term.symbols_get("*,!EUR*")]
    assert subject.term.symbols_get("NOTHING*") == ()


def test_copy_rates(subject):
    rates = subject.term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, 0, 10)
    assert isinstance(rates, np.ndarray) and rates.dtype == RATES_DTYPE and len(rates) == 10
    times = rates["time"]
    assert (np.diff(times) > 0).all() and (times % 3600 == 0).all()
    assert (rates["high"] >= np.maximum(rates["open"], rates["close"])).all()
    assert (rates["low"] <= np.minimum(rates["open"], rates["close"])).all()
    when = datetime.fromtimestamp(int(times[5]), timezone.utc)
    back = subject.term.copy_rates_from("EURUSD", c.TIMEFRAME_H1, when, 3)
    assert back is not None and back.dtype == RATES_DTYPE and list(back["time"]) == list(times[3:6])
    ranged = subject.term.copy_rates_range("EURUSD", c.TIMEFRAME_H1, int(times[2]), int(times[4]))
    assert ranged is not None and list(ranged["time"]) == list(times[2:5])
    assert (back[["open", "high", "low", "close"]] == rates[3:6][["open", "high", "low", "close"]]).all()


def test_market_buy_is_done_at_once(request, subject):
    differs(request, subject, "backtest", "a bar backtest fills market orders at the next bar's open: order_send "
                                          "answers TRADE_RETCODE_PLACED (10008) with no deal yet")
    result = subject.term.order_send(market(subject.term))
    assert isinstance(result, OrderSendResult)
    assert result.retcode == c.TRADE_RETCODE_DONE and result.order > 0 and result.deal > 0
    assert result.volume == 0.1 and result.price > 0


def test_a_market_buy_opens_a_position(subject):
    deal = open_position(subject)
    assert (deal.type, deal.entry, deal.volume, deal.symbol, deal.magic) == \
        (c.DEAL_TYPE_BUY, c.DEAL_ENTRY_IN, 0.1, "EURUSD", MAGIC)
    (position,) = subject.term.positions_get(ticket=deal.position_id)
    assert isinstance(position, TradePosition)
    assert (position.ticket, position.type, position.volume, position.symbol, position.magic) == \
        (deal.position_id, c.POSITION_TYPE_BUY, 0.1, "EURUSD", MAGIC)
    assert position.price_open == deal.price
    assert subject.term.positions_total() >= 1
    assert deal.position_id in [p.ticket for p in subject.term.positions_get(symbol="EURUSD")]


def test_order_check(subject):
    request = market(subject.term)
    check = subject.term.order_check(request)
    assert isinstance(check, OrderCheckResult)
    assert check.retcode == 0 and check.request.symbol == "EURUSD" and check.request.volume == 0.1
    alone = subject.term.order_calc_margin(c.ORDER_TYPE_BUY, "EURUSD", 0.1, request["price"])
    assert check.margin >= alone - 0.01 > 0
    assert check.margin_free == pytest.approx(check.equity - check.margin, abs=0.011)
    assert check.balance > 0


def test_order_calc_margin_and_profit_follow_the_mt5_formulas(subject):
    leverage = subject.term.account_info().leverage
    # Forex: lots * contract / leverage in EUR, at 1.1 USD per EUR; profit: (close - open) * lots * contract
    assert subject.term.order_calc_margin(c.ORDER_TYPE_BUY, "EURUSD", 1.0, 1.1) == \
        pytest.approx(100_000 / leverage * 1.1, abs=0.01)
    assert subject.term.order_calc_margin(c.ORDER_TYPE_SELL, "EURUSD", 0.5, 1.1) == \
        pytest.approx(50_000 / leverage * 1.1, abs=0.01)
    assert subject.term.order_calc_profit(c.ORDER_TYPE_BUY, "EURUSD", 1.0, 1.1, 1.105) == pytest.approx(500.0)
    assert subject.term.order_calc_profit(c.ORDER_TYPE_SELL, "EURUSD", 0.2, 1.1, 1.105) == pytest.approx(-100.0)


def test_a_close_leaves_an_in_and_an_out_deal(subject):
    opened = open_position(subject)
    ticket = opened.position_id
    result = subject.term.order_send(market(subject.term, c.ORDER_TYPE_SELL, position=ticket))
    assert result is not None and result.retcode in (c.TRADE_RETCODE_DONE, c.TRADE_RETCODE_PLACED)
    if not subject.fills_at_once:
        subject.settle()
    assert subject.term.positions_get(ticket=ticket) == ()
    into, out = the_deals(subject, position=ticket)
    assert (into.entry, out.entry) == (c.DEAL_ENTRY_IN, c.DEAL_ENTRY_OUT)
    assert (out.type, out.volume, out.position_id) == (c.DEAL_TYPE_SELL, 0.1, ticket)
    assert out.profit == pytest.approx((out.price - into.price) * 0.1 * 100_000, abs=0.011)
    since = datetime.fromtimestamp(into.time - 60, timezone.utc)
    assert {into.ticket, out.ticket} <= {d.ticket for d in subject.term.history_deals_get(since, datetime(2100, 1, 1))}


def test_a_pending_order_is_listed_then_canceled(subject):
    tick = subject.term.symbol_info_tick("EURUSD")
    placed = subject.term.order_send({
        "action": c.TRADE_ACTION_PENDING, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY_LIMIT, "volume": 0.1,
        "price": round(tick.bid - 0.02, 5), "type_filling": c.ORDER_FILLING_RETURN, "type_time": c.ORDER_TIME_GTC,
        "magic": MAGIC, "comment": "far limit"})
    assert placed is not None and placed.retcode == c.TRADE_RETCODE_PLACED and placed.order > 0
    (order,) = subject.term.orders_get(ticket=placed.order)
    assert isinstance(order, TradeOrder) and order.type == c.ORDER_TYPE_BUY_LIMIT
    assert order.price_open == round(tick.bid - 0.02, 5) and subject.term.orders_total() >= 1
    removed = subject.term.order_send({"action": c.TRADE_ACTION_REMOVE, "order": placed.order})
    assert removed is not None and removed.retcode == c.TRADE_RETCODE_DONE
    assert subject.term.orders_get(ticket=placed.order) == ()
    (ended,) = subject.term.history_orders_get(ticket=placed.order)
    assert ended.state == c.ORDER_STATE_CANCELED


def test_a_bad_request_is_answered_with_its_retcode(subject):
    """MetaTrader5 answers a request it refuses with a result whose retcode says why (no order, no deal)."""
    positions = subject.term.positions_total()
    result = subject.term.order_send(market(subject.term, volume=0.0))
    assert isinstance(result, OrderSendResult)
    assert (result.retcode, result.order, result.deal) == (c.TRADE_RETCODE_INVALID_VOLUME, 0, 0)
    assert subject.term.positions_total() == positions


def test_an_unknown_symbol_fails_with_last_error(subject):
    assert subject.term.symbol_info("NOPE") is None
    assert subject.term.last_error()[0] == c.RES_E_NOT_FOUND
    assert subject.term.symbol_info_tick("NOPE") is None
    assert subject.term.order_calc_margin(c.ORDER_TYPE_BUY, "NOPE", 1.0, 1.1) is None


def test_a_successful_call_resets_last_error(subject):
    assert subject.term.symbol_info("NOPE") is None and subject.term.last_error()[0] == c.RES_E_NOT_FOUND
    assert subject.term.symbol_info("EURUSD") is not None
    assert subject.term.last_error() == (c.RES_S_OK, "Success")
