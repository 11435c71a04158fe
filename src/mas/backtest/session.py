"""Backtests: MAS parameters -> simulated terminal + market -> replay -> result, and the backtest session
(:class:`BacktestSession`) that owns a strategy's replay, its simulated terminal and its result."""

from __future__ import annotations

import dis
import inspect
import logging
import sys
import time as wallclock
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from mas.backtest.plots import SeriesRecorder
from mas.backtest.preflight import check_conversions
from mas.data.store import BarSeries, MissingDataError, load_bars
from mas.data.tick_columns import TickColumns
from mas.data.tick_model import synthesize_ticks_from_m1, ticks_per_candle
from mas.data.tick_store import load_tick_columns
from mas.i18n import retcode_text
from mas.i18n.errors import InputError
from mas.results import BacktestResult, PlottedSeries
from mas.sessions.base import ACCEPTED, Session
from mas.sessions.events import order_request
from mas.sim.clock import BarLedger, EquityCurve, TickLedger, run_bars, run_ticks
from mas.sim.market import Market, PathDetail, SymbolTape, TickPath, TickTape, prepare_rates
from mas.sim.records import SimDeal, SimOrder
from mas.sim.settings import BacktestSettings
from mas.sim.symbols import SymbolSpec
from mas.sim.terminal import OrderDesk, SimulatedTerminal
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.sessions.strategy import StrategyEvents
    from mas.terminal.types import TradeRequest

log = logging.getLogger("mas")
_EPOCH = datetime(1970, 1, 1)


class SimListener:
    """The simulated terminal's listener during a replay: its order updates, fills and margin calls reach
    the strategy through its events (the statuses and fills the strategy does not override are not built)."""

    def __init__(self, events: StrategyEvents) -> None:
        self.events = events
        self.wants_order_updates = events.wants_order_status
        self.wants_deals = events.wants_executions

    def on_order_update(self, order: SimOrder, retcode: int, message: str, request: Any) -> None:
        if self.wants_order_updates:
            events = self.events
            as_dict = request._asdict() if request is not None else order_request(order)
            # the terminal's comment, as MT5 (and the live path) report it: no "order N:" prefix
            text = events.localize(message) if message else retcode_text(events.lang, retcode)
            events.order_status(str(order.ticket), retcode, text, as_dict, order.state)

    def on_margin_call(self, level: float, limit: float) -> None:
        self.events.error(self.events.say("margin_call", level=level, limit=limit), c.RES_S_OK)

    def on_deal(self, deal: SimDeal, order: SimOrder) -> None:
        if self.wants_deals:
            self.events.execution(deal, order.type)


def build_terminal(settings: BacktestSettings, listener: Any = None, *, series: Mapping[str, BarSeries] | None = None,
                   detail: Mapping[str, BarSeries] | None = None, specs: dict[str, SymbolSpec] | None = None
                   ) -> tuple[SimulatedTerminal, list[SymbolTape]]:
    """Set up the simulated terminal for ``settings`` with the replayed bars (and the path detail of the
    model): ``series`` / ``detail`` (M1 bars for 'ohlc') when given, else loaded from the store. ``specs``:
    ``settings.specs()`` when the caller has them already."""
    specs = settings.specs() if specs is None else specs
    market = Market()
    tapes = []
    for name in settings.symbols:
        spec = specs[name]
        bars = series[name] if series and name in series else load_bars(name, settings.timeframe, settings.start,
                                                                         settings.end)
        rates, note = prepare_rates(bars, spec, settings.spread)
        del bars  # when prepare_rates made the replay's own copy, the loaded bars are not kept while the tape is made
        tape = SymbolTape(spec=spec, timeframe=settings.timeframe, rates=rates, price_side_note=note)
        if settings.model == "ohlc" and settings.timeframe != "M1":
            tape.detail = _m1_detail(name, spec, rates, tape.bar_seconds, settings, (detail or {}).get(name))
        elif settings.model in ("every_tick", "real_ticks"):
            span = _span(rates, tape.bar_seconds)
            tape.detail = TickPath.for_bars(_replay_ticks(name, spec, settings, *span), rates["time"],
                                            tape.bar_seconds)
        market.add(tape)
        tapes.append(tape)
    return _terminal(settings, specs, market, listener), tapes


def build_tick_terminal(settings: BacktestSettings, listener: Any = None) -> tuple[SimulatedTerminal, list[TickTape]]:
    """Load the ticks of the model and set up the simulated terminal for a tick replay."""
    specs = settings.specs()
    market = Market()
    tapes = []
    for name in settings.symbols:
        if settings.model == "real_ticks":
            tape = TickTape(spec=specs[name], columns=_stored_tick_columns(name, specs[name], settings,
                                                                           settings.start, settings.end))
        else:
            m1 = _every_tick_m1(name, specs[name], settings, settings.start, settings.end)
            tape = TickTape.from_m1(specs[name], m1)
        market.add(tape)
        tapes.append(tape)
    return _terminal(settings, specs, market, listener), tapes


def _terminal(settings: BacktestSettings, specs: dict[str, SymbolSpec], market: Market,
              listener: Any) -> SimulatedTerminal:
    """The simulated terminal over ``market``, loading other symbols' bars on demand for currency
    conversion and for ``copy_rates_*`` of other timeframes."""

    def stored_rates(symbol: str, timeframes: tuple[str, ...], start: datetime | None) -> np.ndarray | None:
        spec = specs.get(symbol)
        if spec is None:
            return None
        for timeframe in timeframes:
            try:
                series = load_bars(symbol, timeframe, start, settings.end)
            except MissingDataError:
                continue
            return prepare_rates(series, spec, settings.spread)[0]
        return None

    own = () if settings.timeframe == "TICK" else (settings.timeframe,)
    market.conversion_loader = lambda symbol: stored_rates(symbol, (*own, "M1", "H1", "D1"), settings.start)
    return SimulatedTerminal(settings.account(), specs, market, slippage_points=settings.slippage,
                             listener=listener, rates_loader=lambda symbol, tf: stored_rates(symbol, (tf,), None))


def _span(rates: np.ndarray, bar_seconds: int) -> tuple[datetime, datetime]:
    """First and last second covered by ``rates``."""
    start = _EPOCH + timedelta(seconds=int(rates["time"][0]))
    return start, _EPOCH + timedelta(seconds=int(rates["time"][-1]) + bar_seconds - 1)


def _replay_ticks(name: str, spec: SymbolSpec, settings: BacktestSettings, start: datetime | None,
                  end: datetime | None) -> np.ndarray:
    """The ticks of a tick model: stored ones ('real_ticks'; the ``spread`` parameter, when given,
    replaces the stored ask) or synthesized from M1 bars ('every_tick')."""
    if settings.model == "real_ticks":
        return _stored_tick_columns(name, spec, settings, start, end).to_ticks()
    return synthesize_ticks_from_m1(_every_tick_m1(name, spec, settings, start, end), spec.digits)


def _stored_tick_columns(name: str, spec: SymbolSpec, settings: BacktestSettings, start: datetime | None,
                         end: datetime | None) -> TickColumns:
    """The stored ticks of the 'real_ticks' model as columns (read once, never copied whole); the ``spread``
    parameter, when given, replaces the stored ask."""
    columns = load_tick_columns(name, start, end)
    if settings.spread is not None:
        columns = columns.with_ask(np.round(columns.bid + settings.spread * spec.point, spec.digits))
    return columns


def _every_tick_m1(name: str, spec: SymbolSpec, settings: BacktestSettings, start: datetime | None,
                   end: datetime | None) -> np.ndarray:
    """The M1 bars (bid, effective spread) that the 'every_tick' model synthesizes its ticks from."""
    return prepare_rates(load_bars(name, "M1", start, end), spec, settings.spread)[0]


def tick_replay_bars(tape: TickTape) -> np.ndarray:
    """The M1 bars of a tick replay's result: built from its ticks (``TickTape.minute_bars``); for ticks synthesized
    from M1 bars on whole minutes, those bars with what the ticks make of them (the same values, without walking
    every tick again): the tick count as ``tick_volume``, no real volume."""
    m1 = tape.source_m1
    if m1 is None or not len(m1) or bool((m1["time"] % 60).any()):
        return tape.minute_bars()
    bars = np.array(m1, dtype=m1.dtype, copy=True)
    bars["tick_volume"] = ticks_per_candle(m1["tick_volume"])
    bars["spread"] = np.clip(m1["spread"], 0, np.iinfo(np.int32).max)
    bars["real_volume"] = 0
    return bars


def _m1_detail(name: str, spec: SymbolSpec, rates: np.ndarray, bar_seconds: int, settings: BacktestSettings,
               preloaded: BarSeries | None = None) -> PathDetail:
    """M1 bars for the 'ohlc' model; MissingDataError (naming M1 and the range) when none are stored."""
    series = preloaded if preloaded is not None else load_bars(name, "M1", *_span(rates, bar_seconds))
    detail_rates, _ = prepare_rates(series, spec, settings.spread)
    return PathDetail.for_bars(detail_rates, rates["time"], bar_seconds, 60, spec.point)


class BacktestSession(Session):
    """A strategy's backtests: the replay running now (its simulated terminal, the result so far), else the
    last one's account and result. The simulated terminal reports its own order updates and fills."""

    def __init__(self, events: StrategyEvents) -> None:
        super().__init__(events)
        self.terminal: SimulatedTerminal | None = None
        """The replay's terminal; after it, the last backtest's account (None before the first)."""
        self.replaying = False
        self.warming_up = False
        self.result: BacktestResult | None = None
        """The last backtest's result (None before the first, and while one runs)."""
        self.result_so_far: ResultSoFar | None = None
        """The running replay's result up to its current bar (None outside a replay)."""
        self.broker: Session | None = None
        """The live session: bars missing from the store are fetched from its terminal when logged in."""
        self.desk: OrderDesk | None = None
        """While a replay runs without a warm-up: what sends the strategy's orders (``send_order`` with
        ``backtest_toggle`` True) in one compiled call (None when this class's own rules must see each order)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.direct_orders = all(getattr(cls, name) is getattr(BacktestSession, name) for name in _ORDER_RULES)

    direct_orders = True
    """A replay of this class may send orders by an order desk (False for a subclass that overrides one of
    :data:`_ORDER_RULES`: its own rules see each order)."""

    # ------------------------------------------------------------------ the facade's calls
    def connected(self) -> bool:
        """The simulated terminal is connected while its replay runs."""
        return self.replaying

    def catalog(self) -> SimulatedTerminal:
        """The replay's (or last backtest's) terminal, else one with the built-in symbols."""
        return self.terminal if self.terminal is not None else idle_terminal()

    def subscribe_bars(self, params: dict) -> None:
        """Replay the bars of the range into ``receive_bars``; returns when done."""
        self._refuse_nested("subscribe_bars")
        self.result = None
        self.replay_bars(params)

    def subscribe_ticks(self, params: dict) -> None:
        """Replay the ticks of the range into ``receive_ticks``; returns when done."""
        self._refuse_nested("subscribe_ticks")
        self.result = None
        self.replay_ticks(params)

    def _refuse_nested(self, call: str) -> None:
        """A backtest started from inside this strategy's own replay would replace the running replay's
        account: refused (another strategy instance runs its own, isolated backtest)."""
        if self.replaying:
            raise RuntimeError(self.events.say("nested_backtest", call=call))

    def send_order(self, request: TradeRequest, params: dict, toggle: bool | None) -> str | None:
        """Send to the simulated account (the replay's, else the last backtest's, else one that refuses
        with a clear message); a live order from inside the replay is refused."""
        if not toggle and self.replaying:
            self.refuse_live_in_backtest("", request)
            return None
        terminal = self.terminal
        if terminal is None:
            terminal = idle_terminal()
        result = terminal.order_send(request)
        if result is not None and result.retcode in ACCEPTED:
            return str(result.order)  # the terminal's listener has told the strategy
        return self.answer_order(terminal, result, request)

    def send_params(self, params: dict, toggle: bool | None) -> str | None:
        """``send_order`` from the caller's dict (:meth:`Session.send_params`): during a replay, by its order desk
        (:attr:`desk`) when it has one."""
        desk = self.desk
        if toggle and desk is not None:
            return desk.send(params)
        return super().send_params(params, toggle)

    def request(self, request: dict, order_id: str, toggle: bool | None) -> bool:
        """Modify / cancel / SL-TP on the simulated account; a live one from inside the replay is refused."""
        if self.replaying and toggle is False:
            self.refuse_live_in_backtest(order_id, request)
            return False
        return self.send_request(request, order_id, tell_placed=False)

    def is_open_position(self, ticket: int) -> bool:
        """The simulated terminal's shortcut: a dict lookup instead of building position records."""
        return self.terminal is not None and self.terminal.has_position(ticket)

    def position_of(self, ticket: int) -> int:
        """The position an ``order_id`` refers to (:meth:`Session.position_of`), the open-position lookup done
        here: a close names the order that opened a position, whose ticket the position has."""
        terminal = self.terminal
        if terminal is not None and terminal.has_position(ticket):
            return ticket
        return super().position_of(ticket)

    def report_source(self) -> BacktestResult | None:
        """The last backtest's result; during a replay, the running one's result up to its current bar."""
        if self.result is not None:
            return self.result
        if self.replaying and self.result_so_far is not None:
            return self.result_so_far()
        return None

    def plot(self, name: str, value: Any, symbol: str | None = None, panel: str = "price") -> bool:
        """Keep ``value`` of the chart series ``name`` at the running replay's current bar (see
        :mod:`mas.backtest.plots`); False outside a replay. ValueError for a bad argument."""
        so_far = self.result_so_far
        if not self.replaying or so_far is None:
            return False
        return so_far.plots.record(name, value, symbol, panel)

    def adopt_result(self, result: BacktestResult) -> None:
        """Keep ``result`` (computed outside a replay) as the last backtest's result."""
        self.result = result

    # ------------------------------------------------------------------ replays
    def replay_bars(self, params: dict | BacktestSettings, *, series: Mapping[str, BarSeries] | None = None,
                    detail: Mapping[str, BarSeries] | None = None, warm_up: int = 0) -> BacktestResult:
        """Replay bars into the strategy's ``receive_bars`` on a fresh simulated account; keep the result.
        Bars already in memory (``series``, and ``detail`` M1 bars for the 'ohlc' model) are replayed as
        given. ``warm_up``: the first that many bars only warm the strategy up (every order it sends
        meanwhile is refused, as during a live warm-up)."""
        settings = params if isinstance(params, BacktestSettings) else BacktestSettings.from_params(params)
        specs = settings.specs()
        check_conversions(settings, specs)  # one clear error before the replay, not a rejection per order
        self.result = None
        terminal, tapes = self._build(settings, lambda s, listener: build_terminal(s, listener, series=series,
                                                                                    detail=detail, specs=specs))
        callback = self.events.bar_callback()
        wants_data = callback is None or reads_its_data(callback)
        if warm_up > 0 and callback is not None:
            callback = self._warming(callback, warm_up)
        ledger = BarLedger(tapes)
        bars = {t.spec.name: t.rates for t in tapes}
        note = tapes[0].price_side_note
        so_far = ResultSoFar(self.events.strategy_name, settings, terminal, ledger, bars, note)
        curve, elapsed = self._replay(terminal, lambda: run_bars(terminal, tapes, callback, ledger=ledger,
                                                                            wants_data=wants_data), so_far, warm_up)
        return self._keep(settings, terminal, curve, elapsed, bars, note, so_far.plots)

    def replay_ticks(self, params: dict) -> BacktestResult:
        """Replay ticks into the strategy's ``receive_ticks`` (``mode`` 'all' or 'trade') on a fresh account."""
        settings = BacktestSettings.from_params(params, ticks=True)
        check_conversions(settings)
        mode = str(params.get("mode", "all")).lower()
        if mode not in ("all", "trade"):
            raise InputError("tick_mode_unknown", value=params.get("mode"))
        terminal, tapes = self._build(settings, build_tick_terminal)
        delivered = None
        if mode == "trade":
            delivered = [((t.columns.column("flags") if t.columns is not None else t.ticks["flags"])
                          & (c.TICK_FLAG_LAST | c.TICK_FLAG_VOLUME)) != 0 for t in tapes]  # stored: no rows made
            if not any(mask.any() for mask in delivered):
                raise InputError("tick_mode_trade_without_trades")
        callback = self.events.tick_callback()
        wants_data = callback is None or reads_its_data(callback)
        ledger = TickLedger(tapes)
        bars = {t.spec.name: tick_replay_bars(t) for t in tapes}
        note = "stored ticks" if settings.model == "real_ticks" else "ticks synthesized from M1 bars"
        so_far = ResultSoFar(self.events.strategy_name, settings, terminal, ledger, bars, note)
        curve, elapsed = self._replay(terminal, lambda: run_ticks(terminal, tapes, callback, delivered, ledger,
                                                                       wants_data),
                                      so_far)
        return self._keep(settings, terminal, curve, elapsed, bars, note, so_far.plots)

    def _warming(self, receive: Any, warm: int) -> Any:
        """``receive`` with the first ``warm`` calls marked as the warm-up (the clock hands the bars over in
        time order, one call per bar and symbol)."""
        seen = 0

        def warming_receive(symbol: str, bar: dict, is_end: bool) -> Any:
            nonlocal seen
            self.warming_up = seen < warm
            seen += 1
            try:
                return receive(symbol, bar, is_end)
            finally:
                self.warming_up = False

        return warming_receive

    def _build(self, settings: BacktestSettings, builder: Any) -> tuple[SimulatedTerminal, list]:
        """The terminal and tapes of the run. Bars missing from the store are fetched from the broker's
        terminal when the strategy is logged in (as the original SDK does), stored, then replayed."""
        fetched: set[tuple[str, str]] = set()
        while True:
            try:
                return builder(settings, SimListener(self.events))
            except MissingDataError as exc:
                wanted = (exc.symbol, exc.timeframe)
                broker = self.broker.terminal if self.broker is not None else None
                if wanted in fetched or not _fetch_from_terminal(broker, exc):
                    # the exception carries the message to the user: logging it too would say it twice
                    self.events.error(self.events.say("data_error", detail=str(exc)), c.RES_E_NOT_FOUND,
                                      logging.DEBUG)
                    raise
                fetched.add(wanted)

    def _replay(self, terminal: SimulatedTerminal, run: Any, so_far: ResultSoFar,
                warm_up: int = 0) -> tuple[EquityCurve, float]:
        self.terminal = terminal
        self.replaying = True
        self.result_so_far = so_far
        if self.direct_orders and warm_up <= 0:
            self.desk = OrderDesk(terminal, lambda result, request: self.answer_order(terminal, result, request))
        so_far.started = wallclock.perf_counter()
        try:
            curve = run()
        finally:
            self.replaying = False
            self.result_so_far = None
            self.desk = None
        elapsed = so_far.elapsed_when_complete
        return curve, wallclock.perf_counter() - so_far.started if elapsed is None else elapsed

    def _keep(self, settings: BacktestSettings, terminal: SimulatedTerminal, curve: EquityCurve, elapsed: float,
              bars: dict[str, np.ndarray], price_note: str, plots: SeriesRecorder | None = None) -> BacktestResult:
        result = _make_result(self.events.strategy_name, settings, terminal, curve, elapsed, bars, price_note,
                              plots.series() if plots is not None else None)
        self.result = result
        log.info(self.events.say("backtest_done", bars=len(curve.times), symbols=",".join(settings.symbols),
                                 timeframe=settings.timeframe, trades=len(result.closed_trades),
                                 equity=float(curve.equity[-1]) if len(curve.equity) else settings.capital,
                                 currency=settings.currency))
        return result


_ORDER_RULES: Final = ("send_order", "send_params", "position_of", "request_position", "is_open_position", "handles",
                        "answer_order", "placed")
"""The methods whose rules an order desk (:class:`~mas.sim.terminal.OrderDesk`) stands in for."""

_SEES_FRAMES: Final = frozenset({"locals", "vars", "eval", "exec", "breakpoint", "_getframe", "currentframe", "stack",
                                  "trace", "settrace", "set_trace", "getframeinfo", "f_locals", "tb_frame"})
"""Names whose use in a callback's code may reach its frame's variables (the data argument among them)."""


def reads_its_data(callback: Any) -> bool:
    """Whether ``callback(symbol, data, is_end)`` (a strategy's ``receive_bars`` / ``receive_ticks``) can see
    its ``data``: False only for a plain Python function or method whose code never uses that parameter (no
    read, no closure over it, nothing that reaches frames) while no tracer or profiler runs; the replay then
    hands it one dict for every bar or tick instead of building a dict each time (it could not tell)."""
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return True
    function = getattr(callback, "__func__", callback) if inspect.ismethod(callback) else callback
    if not inspect.isfunction(function):
        return True
    code = function.__code__
    position = 2 if inspect.ismethod(callback) else 1  # (self,) symbol, data, is_end
    if code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS) or code.co_argcount <= position:
        return True
    name = code.co_varnames[position]
    if name in code.co_cellvars or _SEES_FRAMES.intersection(code.co_names):
        return True
    for instruction in dis.get_instructions(code):
        value = instruction.argval
        if "FAST" in instruction.opname and (value == name or (isinstance(value, tuple) and name in value)):
            return True
    return False


def _fetch_from_terminal(terminal: Any, missing: MissingDataError) -> bool:
    """Copy the missing bars of ``missing`` (its symbol, timeframe and range) from the logged-in
    terminal into the store; False when there is no terminal, no range, or it has none of them."""
    if terminal is None or missing.start is None or missing.end is None or missing.timeframe == "TICK":
        return False
    from mas.data.downloaders.terminal import TerminalDownloadError, download_from_terminal

    try:
        download = download_from_terminal(terminal, missing.symbol, missing.start.date(), missing.end.date(),
                                          timeframe=missing.timeframe)
    except (TerminalDownloadError, ValueError) as exc:
        log.warning("could not fetch %s %s from the terminal: %s", missing.symbol, missing.timeframe, exc)
        return False
    if download.rows == 0:
        return False
    log.info("fetched %d %s %s bars (%s .. %s) from the terminal into the store", download.rows, missing.symbol,
             missing.timeframe, download.first, download.last)
    return True


class ResultSoFar:
    """The running replay's result up to the bar (or tick) it stands on: what the reports read when a
    strategy asks for them inside a callback, typically the last ``receive_bars`` with ``is_end`` True.
    At the last bar that is the whole run: the last bar included, open positions valued at its close.
    The time of the first such complete report is kept, so the result kept after the replay (the same
    trades, deals and curve) reports the same ``elapsed_seconds`` and the reports come out identical."""

    def __init__(self, strategy_name: str, settings: BacktestSettings, terminal: SimulatedTerminal,
                 ledger: BarLedger | TickLedger, bars: dict[str, np.ndarray], price_note: str) -> None:
        self.strategy_name, self.settings, self.terminal, self.ledger = strategy_name, settings, terminal, ledger
        self.bars, self.price_note = bars, price_note
        self.started = wallclock.perf_counter()
        self.elapsed_when_complete: float | None = None
        self.plots = SeriesRecorder(terminal)
        """The series the strategy plots on its chart during the replay (``MAS.plot``)."""

    def __call__(self) -> BacktestResult:
        done = self.ledger.done(self.terminal)
        elapsed = wallclock.perf_counter() - self.started
        if done == self.ledger.total and self.elapsed_when_complete is None:
            self.elapsed_when_complete = elapsed
        elif self.elapsed_when_complete is not None:
            elapsed = self.elapsed_when_complete
        return _make_result(self.strategy_name, self.settings, self.terminal, self.ledger.curve(done), elapsed,
                            self.bars, self.price_note, self.plots.series())


def _make_result(strategy_name: str, settings: BacktestSettings, terminal: SimulatedTerminal, curve: EquityCurve,
                 elapsed: float, bars: dict[str, np.ndarray], price_note: str,
                 plots: dict[str, dict[str, PlottedSeries]] | None = None) -> BacktestResult:
    """The result of a replay from the terminal's records and the equity curve."""
    return BacktestResult(
        settings=settings.as_report_settings(strategy_name) | {"elapsed_seconds": round(elapsed, 4),
                                                               "price_side": price_note, "engine": "event"},
        trades=terminal.trades + terminal.open_trade_records(),
        equity_times=curve.times, equity=curve.equity, balance=curve.balance, initial_capital=settings.capital,
        currency=settings.currency, deal_records=list(terminal.deals), bars=bars,
        margin=curve.margin, order_records=list(terminal.history_orders), plots=plots,
    )


def idle_terminal() -> SimulatedTerminal:
    """A simulated terminal with the built-in symbols and no replay (answers symbol questions;
    refuses orders with a clear message)."""
    settings = BacktestSettings(symbols=["EURUSD"], timeframe="H1", start=None, end=None)
    return SimulatedTerminal(settings.account(), settings.specs(), Market())
