"""One backtest run: MAS parameters -> simulated terminal + market -> replay -> result."""

from __future__ import annotations

import logging
import time as wallclock
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from mas import params as p
from mas.data.store import MissingDataError, load_bars
from mas.data.timeframes import timeframe_name
from mas.i18n import retcode_text
from mas.results import BacktestResult
from mas.sim.account import AccountSettings
from mas.sim.clock import run_bars
from mas.sim.market import Market, PathDetail, SymbolTape, prepare_rates
from mas.sim.records import SimDeal, SimOrder
from mas.sim.symbols import BUILTIN_SYMBOLS, SymbolSpec, resolve_spec
from mas.sim.terminal import SimulatedTerminal
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.client import MAS

log = logging.getLogger("mas")


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
    def from_params(cls, params: dict) -> BacktestSettings:
        symbols = p.symbol_list(params)
        if params.get("timeframe") in (None, ""):
            raise ValueError("timeframe: missing; give one of M1 ... MN1, e.g. 'H1'")
        timeframe = timeframe_name(params["timeframe"])
        start = p.parse_time(params["from"], "from") if params.get("from") not in (None, "") else None
        end = p.parse_time(params["to"], "to", end_of_day=True) if params.get("to") not in (None, "") else None
        if start and end and start > end:
            raise ValueError(f"from/to: 'from' ({start}) is after 'to' ({end})")
        capital_field = "captital" if params.get("captital") is not None else "capital"
        model = str(params.get("model", "open_prices")).lower()
        if model not in ("open_prices", "ohlc"):
            raise ValueError(f"model: {params.get('model')!r} is not available for bar backtests yet; use "
                             f"'open_prices' (each bar's own OHLC path) or 'ohlc' (M1 bars drive the path)")
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
        self.client = client
        self._wants_status = type(client).receive_order_status is not _base().receive_order_status
        self._wants_fills = type(client).receive_order_execution is not _base().receive_order_execution

    def on_order_update(self, order: SimOrder, retcode: int, message: str, request: Any) -> None:
        if self._wants_status:
            as_dict = request._asdict() if request is not None else _order_request(order)
            text = self.client._say("order_result", order_id=order.ticket,
                                    retcode_text=retcode_text(self.client._lang, retcode), retcode=retcode,
                                    detail=f": {message}" if message else "")
            self.client._push_status(str(order.ticket), retcode, text, as_dict, order.state)

    def on_margin_call(self, level: float, limit: float) -> None:
        self.client._error(self.client._say("margin_call", level=level, limit=limit), c.RES_S_OK)

    def on_deal(self, deal: SimDeal, order: SimOrder) -> None:
        if self._wants_fills:
            self.client._push_execution(deal, order.type)


def _base() -> type:
    from mas.client import MAS

    return MAS


def _order_request(order: SimOrder) -> dict:
    return {"symbol": order.symbol, "type": order.type, "volume": order.volume_initial, "price": order.price_open,
            "sl": order.sl, "tp": order.tp, "position": order.position_id, "magic": order.magic,
            "comment": order.comment}


def build_terminal(settings: BacktestSettings, listener: Any = None) -> tuple[SimulatedTerminal, list[SymbolTape]]:
    """Load the data and set up the simulated terminal for ``settings``."""
    specs = settings.specs()
    tapes = []
    market = Market()
    for name in settings.symbols:
        spec = specs[name]
        series = load_bars(name, settings.timeframe, settings.start, settings.end)
        rates, note = prepare_rates(series, spec, settings.spread)
        tape = SymbolTape(spec=spec, timeframe=settings.timeframe, rates=rates, price_side_note=note)
        if settings.model == "ohlc" and settings.timeframe != "M1":
            tape.detail = _m1_detail(name, spec, rates, tape.bar_seconds, settings)
        market.add(tape)
        tapes.append(tape)

    def conversion_rates(symbol: str) -> np.ndarray | None:
        spec = specs.get(symbol)
        if spec is None:
            return None
        try:
            series = load_bars(symbol, settings.timeframe, settings.start, settings.end)
        except MissingDataError:
            return None
        return prepare_rates(series, spec, settings.spread)[0]

    def rates_for(symbol: str, timeframe: str) -> np.ndarray | None:
        spec = specs.get(symbol)
        if spec is None:
            return None
        try:
            series = load_bars(symbol, timeframe, None, settings.end)
        except MissingDataError:
            return None
        return prepare_rates(series, spec, settings.spread)[0]

    market.conversion_loader = conversion_rates
    terminal = SimulatedTerminal(settings.account(), specs, market, slippage_points=settings.slippage,
                                 listener=listener, rates_loader=rates_for)
    return terminal, tapes


def _m1_detail(name: str, spec: SymbolSpec, rates: np.ndarray, bar_seconds: int,
               settings: BacktestSettings) -> PathDetail:
    """M1 bars for the 'ohlc' model; MissingDataError (naming M1 and the range) when none are stored."""
    start = datetime(1970, 1, 1) + timedelta(seconds=int(rates["time"][0]))
    end = datetime(1970, 1, 1) + timedelta(seconds=int(rates["time"][-1]) + bar_seconds - 1)
    series = load_bars(name, "M1", start, end)
    detail_rates, _ = prepare_rates(series, spec, settings.spread)
    return PathDetail.for_bars(detail_rates, rates["time"], bar_seconds, 60, spec.point)


def run_bar_backtest(client: MAS, params: dict) -> BacktestResult:
    """Replay bars into ``client.receive_bars`` on a fresh simulated account; keep the result."""
    settings = BacktestSettings.from_params(params)
    try:
        terminal, tapes = build_terminal(settings, CallbackDispatcher(client))
    except MissingDataError as exc:
        client._error(client._say("data_error", detail=str(exc)), c.RES_E_NOT_FOUND, logging.ERROR)
        raise
    client._sim = terminal
    overridden = type(client).receive_bars is not _base().receive_bars
    client._replaying = True
    started = wallclock.perf_counter()
    try:
        curve = run_bars(terminal, tapes, client.receive_bars if overridden else None)
    finally:
        client._replaying = False
    elapsed = wallclock.perf_counter() - started
    result = BacktestResult(
        settings=settings.as_report_settings(type(client).__name__) | {"elapsed_seconds": round(elapsed, 4),
                                                                        "price_side": tapes[0].price_side_note},
        trades=terminal.trades + terminal.open_trade_records(),
        equity_times=curve.times, equity=curve.equity, balance=curve.balance, initial_capital=settings.capital,
        currency=settings.currency, deals=[d.view()._asdict() for d in terminal.deals],
        bars={t.spec.name: t.rates for t in tapes},
    )
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
