"""The fast path: a spec strategy backtested with arrays instead of the bar-by-bar replay.

For one set of candles (:class:`FastMarket`, built once per worker and window) each parameter
set costs: the bars where its rules fire (indicators shared across sets through the cache), its
SL/TP levels, one run of the trade kernel and the books. The trades, balance and equity equal the
event engine's (a property test holds them together on random specs). An optimization needs only
each set's metrics: :meth:`FastMarket.metrics` computes them from the kernel's rows and one pass
over the bars (:mod:`.metrics`), equal to ``compute_metrics`` of the full backtest, without
building trade records or an equity curve. What it does not model is
left to the event engine, per parameter set: several symbols or positions, the ``ohlc`` model,
P&L in another currency than the account's, and any set whose fills come near a margin rejection
or a stop-out (the kernel flags them). Risk-based sizing runs here: the kernel sizes each entry
from the books' equity at its signal, and every trade carries its own volume into the books.
"""

from __future__ import annotations

import time as wallclock
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from mas.data.timeframes import timeframe_seconds
from mas.results import BacktestResult
from mas.sim.account import margin_in_margin_currency, swap_in_profit_currency, volume_error
from mas.sim.market import prepare_rates, rollover_counts, to_datetimes
from mas.sim.symbols import SymbolSpec
from mas.strategy.levels import pip_size, price_offset
from mas.strategy.spec import StrategySpec
from mas.terminal import constants as c
from mas.vector.candles import Candles, IndicatorCache
from mas.vector.kernel import COLUMNS, bar_table, simulate, watch_blocks
from mas.vector.ledger import Books, Ledger, Prices, py_round, swap_charges, write_books, write_ledger
from mas.vector.market_data import MarketData
from mas.vector.metrics import Calendar, ledger_metrics
from mas.vector.signals import entry_filter, rule_bars

__all__ = ["FastMarket", "fast_backtest", "market_limitation", "spec_limitation"]

_MARGIN_MODES = {c.SYMBOL_CALC_MODE_FOREX: 0, c.SYMBOL_CALC_MODE_FOREX_NO_LEVERAGE: 0, c.SYMBOL_CALC_MODE_CFD: 1,
                 c.SYMBOL_CALC_MODE_CFDINDEX: 1, c.SYMBOL_CALC_MODE_EXCH_STOCKS: 1, c.SYMBOL_CALC_MODE_CFDLEVERAGE: 1}
"""Calculation modes the margin watch knows: the power of the price in the margin formula."""


def _member(bars: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Whether each of the ascending ``bars`` is one of the ascending ``among``."""
    if len(among) == 0:
        return np.zeros(len(bars), dtype=bool)
    at = np.minimum(np.searchsorted(among, bars), len(among) - 1)
    return among[at] == bars


def _compact(counts: np.ndarray) -> np.ndarray:
    """Rollover nights per bar in the smallest integer type that holds them (less memory for the kernels to read)."""
    return counts.astype(np.int16 if counts.max(initial=0) < np.iinfo(np.int16).max else np.int64)


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
    if risk.risk_percent is None and volume_error(symbol, float(risk.lots)) is not None:
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
    price_side_note: str = ""
    """How the bids were obtained (``prepare_rates``'s note, as a backtest result's settings carry it)."""

    @classmethod
    def build(cls, data: MarketData) -> FastMarket:
        """The fill prices and candles of ``data``'s one symbol, as the event engine would fill market orders."""
        settings = data.settings
        name = settings.symbols[0]
        symbol = settings.specs()[name]
        rates, note = prepare_rates(data.series[name], symbol, settings.spread)
        candles = Candles.from_rates(rates, symbol.point)
        slip = settings.slippage * symbol.point if settings.slippage else 0.0
        buy = candles.open + candles.spread_price
        sell = candles.open
        if slip:
            buy, sell = buy + slip, sell + (-1 * settings.slippage) * symbol.point
        prices = Prices(time=candles.time, close=candles.close, spread=candles.spread_price,
                        buy_fill=py_round(buy, symbol.digits), sell_fill=py_round(sell, symbol.digits),
                        rollovers=_compact(rollover_counts(rates["time"], symbol.swap_rollover3days)))
        return cls(data, symbol, rates, candles, prices, IndicatorCache(candles), np.zeros((len(candles) + 1, COLUMNS)),
                   note)

    def __post_init__(self) -> None:
        size = len(self.candles)
        self._no_levels = (np.zeros(size), np.zeros(size), np.ones(size, dtype=bool))
        self._no_trail = (np.zeros(0), np.zeros(0))
        self._no_lot = np.zeros(10)
        self._charges: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        candles, prices = self.candles, self.prices
        self._blocks = watch_blocks(candles.low, candles.high, candles.spread_price)
        self.bars = bar_table(candles.time, candles.open, candles.high, candles.low, candles.close,
                              candles.spread_price, prices.buy_fill, prices.sell_fill)

    @cached_property
    def stamps(self) -> list:
        """Each bar's open time as a naive UTC datetime (for trade records)."""
        return to_datetimes(self.candles.time)

    @cached_property
    def bar_times(self) -> list:
        """Each bar's open time as epoch seconds, a list (for trade records)."""
        return self.candles.time.tolist()

    @cached_property
    def calendar(self) -> Calendar:
        """What the metrics need of the bar times (the last bar of each day)."""
        return Calendar.of(self.candles.time)

    def charges(self, volume: float) -> tuple[np.ndarray, np.ndarray]:
        """Booked swap per rollover of ``volume`` lots, long and short."""
        if volume not in self._charges:
            self._charges[volume] = swap_charges(self.symbol, volume, self.prices.most_nights)
        return self._charges[volume]

    def levels(self, spec: StrategySpec, is_long: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sl, tp, accepted) per signal bar: the compiler's levels and whether the terminal takes them."""
        symbol, candles, risk = self.symbol, self.candles, spec.risk
        stop = risk.stop_loss or risk.trailing_stop  # a trailing stop starts at its distance, as the compiler's
        if stop is None and risk.take_profit is None:
            return self._no_levels
        price = candles.close + candles.spread_price if is_long else candles.close
        sign = 1.0 if is_long else -1.0
        ok = np.ones(len(candles), dtype=bool)
        pip = pip_size(symbol.digits, symbol.point)
        out = []
        for distance, direction in ((stop, -sign), (risk.take_profit, sign)):
            if distance is None:
                out.append(np.zeros(len(candles)))
                continue
            atr = self.cache.atr(distance.atr_period) if distance.unit == "atr" else None
            offset = price_offset(distance, price, pip, symbol.point, atr)
            if atr is not None:  # not warmed up yet: no entry
                ok &= ~np.isnan(offset)
            out.append(py_round(price + direction * offset, symbol.digits))
        sl, tp = out
        with np.errstate(invalid="ignore"):
            bad_sl = (sl > 0) & ((sl >= price) if is_long else (sl <= price))
            bad_tp = (tp > 0) & ((tp <= price) if is_long else (tp >= price))
            ok &= ~bad_sl & ~bad_tp & (sl >= 0) & (tp >= 0)
        return np.nan_to_num(sl), np.nan_to_num(tp), ok

    def trailing(self, spec: StrategySpec) -> tuple[np.ndarray, np.ndarray]:
        """Per bar, where the compiler's trailing stop would put a long's stop (below the close's bid) and a
        short's (above its ask), rounded to the symbol's digits; NaN while an ATR distance warms up."""
        distance = spec.risk.trailing_stop
        if distance is None:
            return self._no_trail
        symbol, candles = self.symbol, self.candles
        pip = pip_size(symbol.digits, symbol.point)
        atr = self.cache.atr(distance.atr_period) if distance.unit == "atr" else None
        bid, ask = candles.close, candles.close + candles.spread_price
        below = py_round(bid - price_offset(distance, bid, pip, symbol.point, atr), symbol.digits)
        above = py_round(ask + price_offset(distance, ask, pip, symbol.point, atr), symbol.digits)
        return below, above

    def _sizing(self, spec: StrategySpec, long_sl: np.ndarray,
                short_sl: np.ndarray) -> tuple[bool, np.ndarray, np.ndarray, np.ndarray]:
        """The kernel's risk-sizing arguments: whether ``spec`` sizes by risk, the ``LOT_*`` numbers, and per bar one
        lot's loss at the stop from the entry estimate, long and short (``order_calc_profit``: to the cent)."""
        percent = spec.risk.risk_percent
        if percent is None:
            return False, self._no_lot, self._no_trail[0], self._no_trail[1]
        symbol, candles, leverage = self.symbol, self.candles, self.data.settings.leverage
        lot = np.array([float(percent), symbol.volume_step, symbol.volume_min, symbol.volume_max,
                        symbol.contract_size, margin_in_margin_currency(symbol, 1.0, 1.0, leverage),
                        swap_in_profit_currency(symbol, True, 1.0, 1), swap_in_profit_currency(symbol, False, 1.0, 1),
                        symbol.commission, 10.0 ** symbol.digits])
        buy = candles.close + candles.spread_price
        loss_long = py_round(((long_sl - buy) * symbol.contract_size * 1.0) * 1.0, 2)
        loss_short = py_round(((candles.close - short_sl) * symbol.contract_size * 1.0) * 1.0, 2)
        return True, lot, loss_long, loss_short

    def backtest(self, spec: StrategySpec, label: str) -> BacktestResult | None:
        """The backtest of ``spec``, or None when its fills come near a margin rejection or a stop-out."""
        started = wallclock.perf_counter()
        books = self.simulate(spec)
        if books is None:
            return None
        settings, symbol = self.data.settings, self.symbol
        trades = books.records(symbol, self.bar_times, self.stamps)
        report = settings.as_report_settings(label) | {
            "elapsed_seconds": round(wallclock.perf_counter() - started, 4), "price_side": self.price_side_note,
            "engine": "fast"}
        return BacktestResult(settings=report, trades=trades, equity_times=self.candles.time.copy(),
                              equity=books.equity, balance=books.balance, initial_capital=settings.capital,
                              currency=settings.currency, bars={symbol.name: self.rates}, margin=books.margin)

    def simulate(self, spec: StrategySpec) -> Books | None:
        """The books of ``spec`` (numbers only, no trade records), or None when the event engine must run it."""
        rows = self.trade_rows(spec)
        if rows is None:
            return None
        settings = self.data.settings
        return write_books(rows, self.symbol, settings.capital, self.prices, self.charges, settings.leverage,
                           settings.currency)

    def ledger(self, spec: StrategySpec) -> Ledger | None:
        """The per-trade numbers of ``spec``, or None when the event engine must run it."""
        rows = self.trade_rows(spec)
        if rows is None:
            return None
        return write_ledger(rows, self.symbol, self.prices, self.charges)

    def metrics(self, spec: StrategySpec) -> dict[str, Any] | None:
        """``compute_metrics`` of ``spec``'s backtest from the arrays (no trade records, no equity curve), or
        None when the event engine must run it."""
        ledger = self.ledger(spec)
        if ledger is None:
            return None
        return ledger_metrics(ledger, self.prices, self.calendar, self.data.settings.capital)

    def trade_rows(self, spec: StrategySpec) -> np.ndarray | None:
        """The kernel's rows of ``spec`` (a view of the shared buffer: read before the next run), or None when
        its fills come near a margin rejection or a stop-out."""
        settings, symbol, candles = self.data.settings, self.symbol, self.candles
        rules = rule_bars(spec, candles, self.cache)
        allowed = entry_filter(spec, candles) if spec.filters.weekdays or spec.filters.sessions else None
        enter = {}
        for side, is_long in (("long", True), ("short", False)):
            sl, tp, ok = self.levels(spec, is_long) if getattr(spec, f"entry_{side}") else self._no_levels
            bars = rules[f"entry_{side}"]
            if len(bars):  # an entry where its side's exit also fires is not taken; nor one the filters refuse
                bars = bars[~_member(bars, rules[f"exit_{side}"])]
                for mask in (allowed, None if ok is self._no_levels[2] else ok):
                    if mask is not None:
                        bars = bars[mask[bars]]
            enter[side] = bars, sl, tp
        (enter_long, long_sl, long_tp), (enter_short, short_sl, short_tp) = enter["long"], enter["short"]
        volume = float(spec.risk.lots)
        prices = self.prices
        risk = spec.risk
        trail_long, trail_short = self.trailing(spec)
        count, flag = simulate(
            self.bars, enter_long, enter_short, rules["exit_long"], rules["exit_short"],
            risk.stop_loss is not None or risk.take_profit is not None or risk.trailing_stop is not None,
            long_sl, long_tp, short_sl, short_tp,
            -1 if spec.risk.exit_after_bars is None else int(spec.risk.exit_after_bars),
            timeframe_seconds(settings.timeframe),
            settings.slippage * symbol.point, symbol.contract_size * volume,
            margin_in_margin_currency(symbol, volume, 1.0, settings.leverage),
            _MARGIN_MODES[symbol.calc_mode] + (symbol.margin != settings.currency), settings.capital,
            settings.stop_out_level, prices.roll_bars, prices.roll_nights,
            swap_in_profit_currency(symbol, True, volume, 1), swap_in_profit_currency(symbol, False, volume, 1),
            -symbol.commission * volume, *self._blocks, self.buffer, risk.trailing_stop is not None, trail_long,
            trail_short, volume, *self._sizing(spec, long_sl, short_sl))
        if flag:
            return None
        return self.buffer[:count]


def fast_backtest(spec: StrategySpec, data: MarketData, label: str = "SpecStrategy") -> BacktestResult | None:
    """``spec`` backtested on ``data`` by the fast path; None when only the event engine can do it exactly."""
    if market_limitation(data) is not None:
        return None
    market = FastMarket.build(data)
    if spec_limitation(spec, market.symbol) is not None:
        return None
    return market.backtest(spec, label)
