"""The fast path: a spec strategy backtested with arrays instead of the bar-by-bar replay.

For one set of candles (:class:`FastMarket`, built once per worker and window) each parameter
set costs: its rule arrays (indicators shared across sets through the cache), its SL/TP levels,
one pass of the trade kernel and the books. The trades, balance and equity equal the event
engine's (a property test holds them together on random specs). What it does not model is
left to the event engine, per parameter set: several symbols or positions, the ``ohlc`` model,
P&L in another currency than the account's, trailing stops, risk-based sizing, and any set whose
fills come near a margin rejection or a stop-out (the kernel flags them).
"""

from __future__ import annotations

import time as wallclock
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mas.data.timeframes import timeframe_seconds
from mas.optimize.fast.indicators import Candles, IndicatorCache
from mas.optimize.fast.kernel import simulate
from mas.optimize.fast.ledger import Books, Prices, py_round, write_books
from mas.optimize.fast.signals import entry_filter, rule_arrays
from mas.optimize.market_data import MarketData
from mas.results import BacktestResult
from mas.sim.account import margin_in_margin_currency, swap_in_profit_currency, volume_error
from mas.sim.market import prepare_rates, rollover_counts, to_datetimes
from mas.sim.symbols import SymbolSpec
from mas.strategy.compiler import pip_size
from mas.strategy.spec import StrategySpec
from mas.terminal import constants as c

__all__ = ["FastMarket", "fast_backtest", "market_limitation", "spec_limitation"]

_MARGIN_MODES = {c.SYMBOL_CALC_MODE_FOREX: 0, c.SYMBOL_CALC_MODE_FOREX_NO_LEVERAGE: 0, c.SYMBOL_CALC_MODE_CFD: 1,
                 c.SYMBOL_CALC_MODE_CFDINDEX: 1, c.SYMBOL_CALC_MODE_EXCH_STOCKS: 1, c.SYMBOL_CALC_MODE_CFDLEVERAGE: 1}
"""Calculation modes the margin watch knows: the power of the price in the margin formula."""


def market_limitation(data: MarketData) -> str | None:
    """Why the fast path cannot replay ``data``'s backtests exactly, or None."""
    settings = data.settings
    if len(settings.symbols) != 1:
        return "several symbols"
    if settings.model != "open_prices":
        return f"the {settings.model} model"
    spec = settings.specs()[settings.symbols[0]]
    if spec.profit != settings.currency:
        return f"P&L in {spec.profit}, not the account currency {settings.currency}"
    if spec.margin != settings.currency and spec.margin != spec.base:
        return f"margin in {spec.margin}"
    if spec.calc_mode not in _MARGIN_MODES or spec.trade_mode == c.SYMBOL_TRADE_MODE_DISABLED:
        return "the symbol's calculation or trade mode"
    return None


def spec_limitation(spec: StrategySpec, symbol: SymbolSpec) -> str | None:
    """Why the fast path cannot run ``spec`` exactly, or None."""
    risk = spec.risk
    if risk.max_open_positions != 1:
        return "more than one open position"
    if risk.trailing_stop is not None:
        return "a trailing stop"
    if risk.risk_percent is not None:
        return "risk-based sizing"
    if volume_error(symbol, float(risk.lots)) is not None:
        return "a volume the symbol refuses"
    return None


@dataclass
class FastMarket:
    """One symbol's candles prepared once: arrays, fills at each open, rollovers, the indicator cache."""

    data: MarketData
    symbol: SymbolSpec
    rates: np.ndarray
    candles: Candles
    prices: Prices
    cache: IndicatorCache
    buffer: np.ndarray
    stamps: list = field(default_factory=list)
    bar_times: list = field(default_factory=list)

    @classmethod
    def build(cls, data: MarketData) -> FastMarket:
        settings = data.settings
        name = settings.symbols[0]
        symbol = settings.specs()[name]
        rates, _ = prepare_rates(data.series[name], symbol, settings.spread)
        candles = Candles.from_rates(rates, symbol.point)
        slip = settings.slippage * symbol.point if settings.slippage else 0.0
        buy = candles.open + candles.spread_price
        sell = candles.open
        if slip:
            buy, sell = buy + slip, sell + (-1 * settings.slippage) * symbol.point
        prices = Prices(time=candles.time, close=candles.close, spread=candles.spread_price,
                        buy_fill=py_round(buy, symbol.digits), sell_fill=py_round(sell, symbol.digits),
                        rollovers=rollover_counts(rates["time"], symbol.swap_rollover3days).astype(np.int64))
        return cls(data, symbol, rates, candles, prices, IndicatorCache(candles), np.zeros((len(candles) + 1, 10)))

    def __post_init__(self) -> None:
        size = len(self.candles)
        self.stamps = to_datetimes(self.candles.time)
        self.bar_times = self.candles.time.tolist()
        self._no_levels = (np.zeros(size), np.zeros(size), np.ones(size, dtype=bool))

    def levels(self, spec: StrategySpec, is_long: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sl, tp, accepted) per signal bar: the compiler's levels and whether the terminal takes them."""
        symbol, candles, risk = self.symbol, self.candles, spec.risk
        if risk.stop_loss is None and risk.take_profit is None:
            return self._no_levels
        price = candles.close + candles.spread_price if is_long else candles.close
        sign = 1.0 if is_long else -1.0
        ok = np.ones(len(candles), dtype=bool)
        out = []
        for distance, direction in ((risk.stop_loss, -sign), (risk.take_profit, sign)):
            if distance is None:
                out.append(np.zeros(len(candles)))
                continue
            if distance.unit == "pips":
                offset: Any = distance.value * pip_size(symbol.digits, symbol.point)
            elif distance.unit == "points":
                offset = distance.value * symbol.point
            elif distance.unit == "percent":
                offset = price * distance.value / 100.0
            else:
                offset = distance.value * self.cache.atr(distance.atr_period)
                ok &= ~np.isnan(offset)
            out.append(py_round(price + direction * offset, symbol.digits))
        sl, tp = out
        with np.errstate(invalid="ignore"):
            bad_sl = (sl > 0) & ((sl >= price) if is_long else (sl <= price))
            bad_tp = (tp > 0) & ((tp <= price) if is_long else (tp >= price))
            ok &= ~bad_sl & ~bad_tp & (sl >= 0) & (tp >= 0)
        return np.nan_to_num(sl), np.nan_to_num(tp), ok

    def backtest(self, spec: StrategySpec, label: str) -> BacktestResult | None:
        """The backtest of ``spec``, or None when its fills come near a margin rejection or a stop-out."""
        started = wallclock.perf_counter()
        books = self.simulate(spec)
        if books is None:
            return None
        settings, symbol = self.data.settings, self.symbol
        trades = books.records(symbol, float(spec.risk.lots), self.bar_times, self.stamps)
        report = settings.as_report_settings(label) | {
            "elapsed_seconds": round(wallclock.perf_counter() - started, 4), "engine": "fast"}
        return BacktestResult(settings=report, trades=trades, equity_times=self.candles.time.copy(),
                              equity=books.equity, balance=books.balance, initial_capital=settings.capital,
                              currency=settings.currency, bars={symbol.name: self.rates})

    def simulate(self, spec: StrategySpec) -> Books | None:
        """The books of ``spec`` (numbers only, no trade records), or None when the event engine must run it."""
        settings, symbol, candles = self.data.settings, self.symbol, self.candles
        rules = rule_arrays(spec, candles, self.cache)
        allowed = entry_filter(spec, candles)
        long_sl, long_tp, long_ok = self.levels(spec, True) if spec.entry_long else self._no_levels
        short_sl, short_tp, short_ok = self.levels(spec, False) if spec.entry_short else self._no_levels
        enter_long = rules["entry_long"] & ~rules["exit_long"] & allowed & long_ok
        enter_short = rules["entry_short"] & ~rules["exit_short"] & allowed & short_ok
        volume = float(spec.risk.lots)
        count, flag = simulate(
            candles.time, candles.open, candles.high, candles.low, candles.close, candles.spread_price,
            self.prices.buy_fill, self.prices.sell_fill, enter_long, enter_short, rules["exit_long"],
            rules["exit_short"], long_sl, long_tp, short_sl, short_tp,
            -1 if spec.risk.exit_after_bars is None else int(spec.risk.exit_after_bars),
            timeframe_seconds(settings.timeframe),
            settings.slippage * symbol.point, symbol.contract_size * volume,
            margin_in_margin_currency(symbol, volume, 1.0, settings.leverage),
            _MARGIN_MODES[symbol.calc_mode] + (symbol.margin != settings.currency), settings.capital,
            settings.stop_out_level, self.prices.rollovers, swap_in_profit_currency(symbol, True, volume, 1),
            swap_in_profit_currency(symbol, False, volume, 1), -symbol.commission * volume, self.buffer)
        if flag:
            return None
        return write_books(self.buffer[:count], symbol, volume, settings.capital, self.prices)


def fast_backtest(spec: StrategySpec, data: MarketData, label: str = "SpecStrategy") -> BacktestResult | None:
    """``spec`` backtested on ``data`` by the fast path; None when only the event engine can do it exactly."""
    if market_limitation(data) is not None:
        return None
    market = FastMarket.build(data)
    if spec_limitation(spec, market.symbol) is not None:
        return None
    return market.backtest(spec, label)
