"""One backtest run: MAS parameters -> simulated terminal + market -> replay -> result."""

from __future__ import annotations

import logging
import time as wallclock
import weakref
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from mas import params as p
from mas.backtest.preflight import check_conversions
from mas.data.resample import ticks_to_m1
from mas.data.store import BarSeries, MissingDataError, load_bars
from mas.data.tick_model import synthesize_ticks_from_m1
from mas.data.tick_store import load_ticks
from mas.data.timeframes import timeframe_name
from mas.i18n import retcode_text
from mas.i18n.comments import localize
from mas.results import BacktestResult
from mas.sim.account import AccountSettings
from mas.sim.clock import BarLedger, EquityCurve, TickLedger, run_bars, run_ticks
from mas.sim.market import Market, PathDetail, SymbolTape, TickPath, TickTape, prepare_rates
from mas.sim.records import SimDeal, SimOrder
from mas.sim.symbols import BUILTIN_SYMBOLS, SymbolSpec, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.client import MAS

log = logging.getLogger("mas")
_EPOCH = datetime(1970, 1, 1)


BAR_MODELS = ("open_prices", "ohlc", "every_tick", "real_ticks")
"""How the path inside a bar is found: the bar's own OHLC, its M1 bars, ticks synthesized from
its M1 bars, or stored ticks (the MT5 strategy tester's modeling modes)."""
TICK_MODELS = ("real_ticks", "every_tick")


@dataclass
class BacktestSettings:
    """Everything a bar backtest is configured with (the MAS params plus our extensions)."""

    symbols: list[str]
    timeframe: str
    start: datetime | None
    end: datetime | None
    capital: float = 10_000.0
    currency: str = "USD"
    leverage: int = 100
    margin_mode: str = "hedging"
    spread: int | None = None
    commission: float | None = None
    slippage: int = 0
    margin_call_level: float = 50.0
    stop_out_level: float = 30.0
    model: str = "open_prices"
    symbol_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params: dict, *, ticks: bool = False) -> BacktestSettings:
        """Settings of a bar replay, or of a tick replay (``ticks``: no timeframe, tick models only)."""
        symbols = p.symbol_list(params)
        if ticks:
            timeframe = "TICK"
        elif params.get("timeframe") in (None, ""):
            raise ValueError("timeframe: missing; give one of M1 ... MN1, e.g. 'H1'")
        else:
            timeframe = timeframe_name(params["timeframe"])
        start = p.parse_time(params["from"], "from") if params.get("from") not in (None, "") else None
        end = p.parse_time(params["to"], "to", end_of_day=True) if params.get("to") not in (None, "") else None
        if start and end and start > end:
            raise ValueError(f"from/to: 'from' ({start}) is after 'to' ({end})")
        capital_field = "captital" if params.get("captital") is not None else "capital"
        models = TICK_MODELS if ticks else BAR_MODELS
        model = str(params.get("model", models[0])).lower()
        if model not in models:
            raise ValueError(f"model: {params.get('model')!r} is not a model of {'tick' if ticks else 'bar'} "
                             f"backtests; use one of {', '.join(models)}")
        overrides = params.get("symbol_overrides") or {}
        if not isinstance(overrides, dict):
            raise ValueError("symbol_overrides: expected a dict {symbol: {field: value}}")
        return cls(
            symbols=symbols, timeframe=timeframe, start=start, end=end,
            capital=p.number(params, capital_field, 10_000.0, positive=True),
            currency=str(params.get("currency", "USD")).upper(),
            leverage=p.whole(params, "leverage", 100, minimum=1),
            margin_mode=str(params.get("margin_mode", "hedging")).lower(),
            spread=p.whole(params, "spread", minimum=0) if params.get("spread") is not None else None,
            commission=p.number(params, "commission", minimum=0.0) if params.get("commission") is not None else None,
            slippage=p.whole(params, "slippage", 0, minimum=0),
            margin_call_level=p.number(params, "margin_call_level", 50.0, minimum=0.0),
            stop_out_level=p.number(params, "stop_out_level", 30.0, minimum=0.0),
            model=model, symbol_overrides={str(k).upper(): dict(v) for k, v in overrides.items()},
        )

    def account(self) -> AccountSettings:
        return AccountSettings(capital=self.capital, currency=self.currency, leverage=self.leverage,
                               margin_mode=self.margin_mode, margin_call_level=self.margin_call_level,
                               stop_out_level=self.stop_out_level)

    def specs(self) -> dict[str, SymbolSpec]:
        names = list(BUILTIN_SYMBOLS) + [s for s in self.symbols if s not in BUILTIN_SYMBOLS]
        names += [s for s in self.symbol_overrides if s not in names]
        specs = {n: resolve_spec(n, self.symbol_overrides) for n in names}
        if self.commission is not None:
            specs = {n: s.with_overrides({"commission": self.commission}) for n, s in specs.items()}
        return specs

    def as_report_settings(self, strategy: str) -> dict[str, Any]:
        out = asdict(self)
        out["symbol"] = ",".join(self.symbols)
        out["from"] = self.start.isoformat(sep=" ") if self.start else None
        out["to"] = self.end.isoformat(sep=" ") if self.end else None
        out["strategy"] = strategy
        for key in ("symbols", "start", "end"):
            out.pop(key)
        return out


class CallbackDispatcher:
    """The terminal's listener during a backtest: pushes order updates and fills to the client."""

    def __init__(self, client: MAS) -> None:
        # a proxy, not a reference: client -> terminal -> dispatcher -> client would be a cycle, and a
        # dropped client's whole replay (millions of objects) would wait for a full garbage collection
        self.client = weakref.proxy(client)
        self.wants_order_updates = type(client).receive_order_status is not _base().receive_order_status
        self.wants_deals = type(client).receive_order_execution is not _base().receive_order_execution

    def on_order_update(self, order: SimOrder, retcode: int, message: str, request: Any) -> None:
        if self.wants_order_updates:
            as_dict = request._asdict() if request is not None else _order_request(order)
            # the terminal's comment, as MT5 (and the live path) report it: no "order N:" prefix
            text = localize(message, self.client._lang) if message else retcode_text(self.client._lang, retcode)
            self.client._push_status(str(order.ticket), retcode, text, as_dict, order.state)

    def on_margin_call(self, level: float, limit: float) -> None:
        self.client._error(self.client._say("margin_call", level=level, limit=limit), c.RES_S_OK)

    def on_deal(self, deal: SimDeal, order: SimOrder) -> None:
        if self.wants_deals:
            self.client._push_execution(deal, order.type)


def _base() -> type:
    from mas.client import MAS

    return MAS


def _order_request(order: SimOrder) -> dict:
    return {"symbol": order.symbol, "type": order.type, "volume": order.volume_initial, "price": order.price_open,
            "sl": order.sl, "tp": order.tp, "position": order.position_id, "magic": order.magic,
            "comment": order.comment}


def build_terminal(settings: BacktestSettings, listener: Any = None, *, series: Mapping[str, BarSeries] | None = None,
                   detail: Mapping[str, BarSeries] | None = None) -> tuple[SimulatedTerminal, list[SymbolTape]]:
    """Set up the simulated terminal for ``settings`` with the replayed bars (and the path detail of the
    model): ``series`` / ``detail`` (M1 bars for 'ohlc') when given, else loaded from the store."""
    specs = settings.specs()
    market = Market()
    tapes = []
    for name in settings.symbols:
        spec = specs[name]
        bars = series[name] if series and name in series else load_bars(name, settings.timeframe, settings.start,
                                                                         settings.end)
        rates, note = prepare_rates(bars, spec, settings.spread)
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
        tape = TickTape(spec=specs[name], ticks=_replay_ticks(name, specs[name], settings, settings.start,
                                                              settings.end))
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
        ticks = load_ticks(name, start, end).copy()
        if settings.spread is not None:
            ticks["ask"] = np.round(ticks["bid"] + settings.spread * spec.point, spec.digits)
        return ticks
    m1, _ = prepare_rates(load_bars(name, "M1", start, end), spec, settings.spread)
    return synthesize_ticks_from_m1(m1, spec.digits)


def _m1_detail(name: str, spec: SymbolSpec, rates: np.ndarray, bar_seconds: int, settings: BacktestSettings,
               preloaded: BarSeries | None = None) -> PathDetail:
    """M1 bars for the 'ohlc' model; MissingDataError (naming M1 and the range) when none are stored."""
    series = preloaded if preloaded is not None else load_bars(name, "M1", *_span(rates, bar_seconds))
    detail_rates, _ = prepare_rates(series, spec, settings.spread)
    return PathDetail.for_bars(detail_rates, rates["time"], bar_seconds, 60, spec.point)


def run_bar_backtest(client: MAS, params: dict | BacktestSettings, *, series: Mapping[str, BarSeries] | None = None,
                     detail: Mapping[str, BarSeries] | None = None) -> BacktestResult:
    """Replay bars into ``client.receive_bars`` on a fresh simulated account; keep the result. Bars
    already in memory (``series``, and ``detail`` M1 bars for the 'ohlc' model) are replayed as given."""
    settings = params if isinstance(params, BacktestSettings) else BacktestSettings.from_params(params)
    check_conversions(settings)  # one clear error before the replay, not a rejection per order
    client._result = None
    terminal, tapes = _build(client, settings, lambda s, listener: build_terminal(s, listener, series=series,
                                                                                   detail=detail))
    callback = client.receive_bars if type(client).receive_bars is not _base().receive_bars else None
    ledger = BarLedger(tapes)
    bars = {t.spec.name: t.rates for t in tapes}
    so_far = ResultSoFar(client, settings, terminal, ledger, bars, tapes[0].price_side_note)
    curve, elapsed = _replay(client, terminal, lambda: run_bars(terminal, tapes, callback, ledger=ledger), so_far)
    return _keep_result(client, settings, terminal, curve, elapsed, bars, tapes[0].price_side_note)


def run_tick_backtest(client: MAS, params: dict) -> BacktestResult:
    """Replay ticks into ``client.receive_ticks`` (``mode`` 'all' or 'trade') on a fresh account."""
    settings = BacktestSettings.from_params(params, ticks=True)
    check_conversions(settings)
    mode = str(params.get("mode", "all")).lower()
    if mode not in ("all", "trade"):
        raise ValueError(f"mode: {params.get('mode')!r} is not a tick mode; use 'all' or 'trade'")
    terminal, tapes = _build(client, settings, build_tick_terminal)
    delivered = None
    if mode == "trade":
        delivered = [(t.ticks["flags"] & (c.TICK_FLAG_LAST | c.TICK_FLAG_VOLUME)) != 0 for t in tapes]
        if not any(mask.any() for mask in delivered):
            raise ValueError("mode: 'trade' delivers ticks with trades (last price or volume), and these ticks carry "
                             "bid/ask quotes only (as forex quotes do); use mode 'all'")
    callback = client.receive_ticks if type(client).receive_ticks is not _base().receive_ticks else None
    ledger = TickLedger(tapes)
    bars = {t.spec.name: ticks_to_m1(t.ticks, t.spec.digits) for t in tapes}
    note = "stored ticks" if settings.model == "real_ticks" else "ticks synthesized from M1 bars"
    so_far = ResultSoFar(client, settings, terminal, ledger, bars, note)
    curve, elapsed = _replay(client, terminal, lambda: run_ticks(terminal, tapes, callback, delivered, ledger),
                             so_far)
    return _keep_result(client, settings, terminal, curve, elapsed, bars, note)


def _build(client: MAS, settings: BacktestSettings, builder: Any) -> tuple[SimulatedTerminal, list]:
    """The terminal and tapes of the run. Bars missing from the store are fetched from the broker's
    terminal when the client is logged in (as the original SDK does), stored, then replayed."""
    fetched: set[tuple[str, str]] = set()
    while True:
        try:
            return builder(settings, CallbackDispatcher(client))
        except MissingDataError as exc:
            wanted = (exc.symbol, exc.timeframe)
            if wanted in fetched or not _fetch_from_terminal(client, exc):
                # the exception carries the message to the user: logging it too would say it twice
                client._error(client._say("data_error", detail=str(exc)), c.RES_E_NOT_FOUND, logging.DEBUG)
                raise
            fetched.add(wanted)


def _fetch_from_terminal(client: MAS, missing: MissingDataError) -> bool:
    """Copy the missing bars of ``missing`` (its symbol, timeframe and range) from the logged-in
    terminal into the store; False when there is no terminal, no range, or it has none of them."""
    terminal = client._live
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

    def __init__(self, client: MAS, settings: BacktestSettings, terminal: SimulatedTerminal,
                 ledger: BarLedger | TickLedger, bars: dict[str, np.ndarray], price_note: str) -> None:
        self.client, self.settings, self.terminal, self.ledger = client, settings, terminal, ledger
        self.bars, self.price_note = bars, price_note
        self.started = wallclock.perf_counter()
        self.elapsed_when_complete: float | None = None

    def __call__(self) -> BacktestResult:
        done = self.ledger.done(self.terminal)
        elapsed = wallclock.perf_counter() - self.started
        if done == len(self.ledger.equity) and self.elapsed_when_complete is None:
            self.elapsed_when_complete = elapsed
        elif self.elapsed_when_complete is not None:
            elapsed = self.elapsed_when_complete
        return _make_result(self.client, self.settings, self.terminal, self.ledger.curve(done), elapsed, self.bars,
                            self.price_note)


def _replay(client: MAS, terminal: SimulatedTerminal, run: Any, so_far: ResultSoFar) -> tuple[EquityCurve, float]:
    client._sim = terminal
    client._replaying = True
    client._result_so_far = so_far
    so_far.started = wallclock.perf_counter()
    try:
        curve = run()
    finally:
        client._replaying = False
        client._result_so_far = None
    elapsed = so_far.elapsed_when_complete
    return curve, wallclock.perf_counter() - so_far.started if elapsed is None else elapsed


def _make_result(client: MAS, settings: BacktestSettings, terminal: SimulatedTerminal, curve: EquityCurve,
                 elapsed: float, bars: dict[str, np.ndarray], price_note: str) -> BacktestResult:
    """The result of a replay from the terminal's records and the equity curve."""
    return BacktestResult(
        settings=settings.as_report_settings(type(client).__name__) | {"elapsed_seconds": round(elapsed, 4),
                                                                        "price_side": price_note, "engine": "event"},
        trades=terminal.trades + terminal.open_trade_records(),
        equity_times=curve.times, equity=curve.equity, balance=curve.balance, initial_capital=settings.capital,
        currency=settings.currency, deal_records=list(terminal.deals), bars=bars,
    )


def _keep_result(client: MAS, settings: BacktestSettings, terminal: SimulatedTerminal, curve: EquityCurve,
                 elapsed: float, bars: dict[str, np.ndarray], price_note: str) -> BacktestResult:
    result = _make_result(client, settings, terminal, curve, elapsed, bars, price_note)
    client._result = result
    log.info(client._say("backtest_done", bars=len(curve.times), symbols=",".join(settings.symbols),
                         timeframe=settings.timeframe, trades=len(result.closed_trades),
                         equity=float(curve.equity[-1]) if len(curve.equity) else settings.capital,
                         currency=settings.currency))
    return result


def idle_terminal() -> SimulatedTerminal:
    """A simulated terminal with the built-in symbols and no replay (answers symbol questions;
    refuses orders with a clear message)."""
    settings = BacktestSettings(symbols=["EURUSD"], timeframe="H1", start=None, end=None)
    return SimulatedTerminal(settings.account(), settings.specs(), Market())
