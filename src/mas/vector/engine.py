"""The fast path: a spec strategy backtested with arrays instead of the bar-by-bar replay.

For one set of candles (:class:`FastMarket`, built once per worker and window) each parameter
set costs: the bars where its rules fire (indicators shared across sets through the cache), its
SL/TP levels, one run of the trade kernel and the books. The trades, balance and equity equal the
event engine's (a property test holds them together on random specs). An optimization needs only
each set's metrics: :meth:`FastMarket.metrics` computes them from the kernel's rows and one pass
over the bars (:mod:`.metrics`), equal to ``compute_metrics`` of the full backtest, without
building trade records or an equity curve.

Runs here: risk-based sizing (the kernel sizes each entry from the books' equity at its signal,
and every trade carries its own volume into the books); P&L or margin in another currency than
the account's (the terminal's conversion rates at each moment are arrays of the run,
:mod:`.conversion`); several positions at once on a hedging account (:mod:`.pyramid`) and on a
netting account (:mod:`.netting`: the entries merged into one position as the terminal merges
them), in any currency and on any model; the ``ohlc`` model (the kernels walk each bar's M1 bars) and the
``every_tick`` / ``real_ticks`` models (they walk each bar's ticks, each a point of the path).
Several symbols in one account run where they do not couple (fixed lots, one position per
symbol, amounts in the account's currency: :mod:`.merged`, built by :func:`fast_market`).
What it does not model is left to the event engine: the coupled cases of several symbols,
and any set whose fills come near a margin rejection
or a stop-out (the kernels flag them); see :func:`market_limitation` and :func:`spec_limitation`
for why.
"""

from __future__ import annotations

import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

import numpy as np

from mas.data.missing import MissingDataError
from mas.data.store import dataset_path, load_bars
from mas.data.tick_model import synthesize_ticks_from_m1
from mas.data.tick_store import load_ticks, stored_tick_days
from mas.data.timeframes import timeframe_seconds
from mas.i18n.errors import InputError
from mas.results import BacktestResult
from mas.sim.account import margin_in_margin_currency, swap_in_profit_currency, volume_error
from mas.sim.market import prepare_rates, rollover_counts, to_datetimes
from mas.sim.symbols import SymbolSpec
from mas.strategy.levels import pip_size, price_offset
from mas.strategy.spec import StrategySpec
from mas.terminal import constants as c
from mas.vector.candles import Candles, IndicatorCache
from mas.vector.conversion import NO_LEGS, Conversion, Rate, rate_of
from mas.vector.kernel import BLOCK_SHIFT, COLUMNS, bar_table, simulate, watch_blocks
from mas.vector.ledger import NET_COLUMNS, Books, Ledger, Prices, py_round, swap_charges, write_books, write_ledger
from mas.vector.market_data import MarketData
from mas.vector.merged import MergedMarket
from mas.vector.metrics import Calendar, ledger_metrics
from mas.vector.netting import simulate_netting
from mas.vector.pyramid import simulate_many
from mas.vector.signals import entry_filter, rule_bars

__all__ = ["FastMarket", "account_rates", "fast_backtest", "fast_market", "market_limitation", "spec_limitation"]

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


def _stored_rates(data: MarketData) -> Callable[[str], np.ndarray | None]:
    """A conversion symbol's bids as the backtest session's ``conversion_loader`` reads them (its stored bars of
    the run's timeframe, else M1, H1, D1, from the run's start), loaded once per symbol."""
    settings = data.settings
    specs = settings.specs()
    loaded: dict[str, np.ndarray | None] = {}

    def tables(symbol: str) -> np.ndarray | None:
        if symbol not in loaded:
            loaded[symbol] = None
            spec = specs.get(symbol)
            for timeframe in (settings.timeframe, "M1", "H1", "D1") if spec is not None else ():
                try:
                    series = load_bars(symbol, timeframe, settings.start, settings.end)
                except MissingDataError:
                    continue
                loaded[symbol] = prepare_rates(series, spec, settings.spread)[0]
                break
        return loaded[symbol]

    return tables


def account_rates(data: MarketData) -> tuple[Rate, Rate] | str:
    """The profit and the margin currency's :class:`~mas.vector.conversion.Rate` of ``data``'s one symbol, or why
    the fast path cannot know them at every moment of the run."""
    settings = data.settings
    name = settings.symbols[0]
    spec = settings.specs()[name]
    times = data.series[name].rates["time"]
    first = int(times[0]) if len(times) else 0
    tables = _stored_rates(data)
    profit = rate_of(spec.profit, spec, settings.currency, first, tables)
    if isinstance(profit, str):
        return profit
    margin = rate_of(spec.margin, spec, settings.currency, first, tables)
    if isinstance(margin, str):
        return margin
    return profit, margin


def _m1_path(data: MarketData, symbol: SymbolSpec, candles: Candles) -> tuple[np.ndarray, np.ndarray]:
    """The ``ohlc`` model's M1 bars of ``data``'s symbol as the session prepares them (``PathDetail``): the first
    M1 bar of each bar (and the end), and one row per M1 bar: open time, bid OHLC, spread in price units."""
    settings = data.settings
    rates, _ = prepare_rates(data.detail[settings.symbols[0]], symbol, settings.spread)
    edges = np.append(candles.time, int(candles.time[-1]) + timeframe_seconds(settings.timeframe))
    starts = np.searchsorted(rates["time"], edges, side="left").astype(np.int64)
    rows = np.column_stack([rates["time"].astype(np.float64)] + [rates[f].astype(np.float64) for f in
                                                                 ("open", "high", "low", "close")]
                           + [rates["spread"].astype(np.float64) * symbol.point])
    return starts, np.ascontiguousarray(rows)


def _tick_path(data: MarketData, symbol: SymbolSpec, candles: Candles) -> tuple[np.ndarray, np.ndarray]:
    """The ticks of the ``every_tick`` / ``real_ticks`` model as the session prepares them (``TickPath``): synthesized
    from the stored M1 bars (their spread, or the run's) or the stored ticks (the run's spread replacing the ask),
    over the bars' span; per bar the first of its ticks (``starts``, by whole milliseconds as ``TickPath.for_bars``)
    and one row per tick in the M1 rows' layout: a tick is a bar whose open, high, low and close are its bid (the
    kernels' walk of it fires what the tick satisfies, at its bid and second), its spread the ask less the bid."""
    settings = data.settings
    name = settings.symbols[0]
    step = timeframe_seconds(settings.timeframe)
    epoch = datetime(1970, 1, 1)
    first = epoch + timedelta(seconds=int(candles.time[0]))
    last = epoch + timedelta(seconds=int(candles.time[-1]) + step - 1)
    if settings.model == "real_ticks":
        ticks = load_ticks(name, first, last)
        ask = ticks["ask"] if settings.spread is None else np.round(ticks["bid"] + settings.spread * symbol.point,
                                                                    symbol.digits)
    else:
        m1 = prepare_rates(load_bars(name, "M1", first, last), symbol, settings.spread)[0]
        ticks = synthesize_ticks_from_m1(m1, symbol.digits)
        ask = ticks["ask"]
    edges = np.append(candles.time.astype(np.int64), int(candles.time[-1]) + step) * 1000
    starts = np.searchsorted(ticks["time_msc"], edges, side="left").astype(np.int64)
    rows = np.empty((len(ticks), 6))
    rows[:, 0] = ticks["time_msc"] // 1000
    rows[:, 1:5] = ticks["bid"][:, None]
    rows[:, 5] = ask - ticks["bid"]
    return starts, rows


def _envelope(candles: Candles, starts: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per bar the lowest bid and the highest ask less the bar's spread that its M1 bars reach (the bar's own where
    it has none): what the stop-out watch reads as the bar's low and high."""
    low, high = candles.low.copy(), candles.high.copy()
    count = len(candles)
    filled = starts[1:count + 1] > starts[:count]
    firsts = starts[:count][filled]
    rows = rows[:int(starts[count])]
    if len(firsts):
        low[filled] = np.minimum(low[filled], np.minimum.reduceat(rows[:, 3], firsts))
        asks = np.maximum.reduceat(rows[:, 2] + rows[:, 5], firsts)
        high[filled] = np.maximum(high[filled], asks - candles.spread_price[filled])
    return low, high


def market_limitation(data: MarketData) -> str | None:
    """Why the fast path cannot replay ``data``'s backtests exactly, or None.

    What it leaves to the event engine, and why:

    - several symbols, in part: the terminal keeps one account for all of them on a merged clock (each symbol's bars
      in time order, ties in the symbols' order). :class:`~mas.vector.merged.MergedMarket` runs each symbol's kernel
      and merges the trades into that account (one ticket counter, the deals in the merged order, the equity and the
      margin at every merged bar) where the symbols do not couple. Left here: a tick model (``"several symbols on a
      tick model"``: the event engine's curve has one point per minute of the merged ticks); a symbol whose P&L or
      margin is in another currency (``"several symbols with P&L or margin in another currency than the
      account's"``: the terminal values it at the moment of every symbol's bar, not at its own closes); bars that end
      at different times (``"several symbols whose bars end at different times"``: a symbol's orders at its last bar,
      which its kernel does not send, take tickets); a symbol's own limitation below (``"NAME: why"``). Per spec
      (``MergedMarket.limitation``): risk-sized entries (each is sized from the equity of every symbol's open
      positions at its signal) and several positions at once (their closes' tickets interleave across symbols); per
      parameter set: a merged account that could come near a margin rejection or a stop-out (each kernel watches an
      account of its own: the merged one is watched after the merge);
    - a currency pairing whose conversion prices are not there at every moment of the run (a conversion symbol
      whose stored bars start after it, or a zero price): the terminal would switch pairs or fail mid-run;
    - a calculation mode the margin formula does not know, or a symbol whose trading is disabled;
    - a tick model without its source in the store (``every_tick``: no stored M1 bars; ``real_ticks``: no stored
      ticks): the event engine reports what is missing;
    - (per parameter set, :meth:`FastMarket.trade_rows`) several positions on a hedging account whose margin alone
      is in another currency (the terminal values them by the linear form, the pyramid kernel position by
      position).

    The ``ohlc`` model runs here (the kernels walk each bar's M1 bars, ``MarketData.detail``, as the terminal does),
    and so do the ``every_tick`` and ``real_ticks`` models (a bar strategy on them fills at each bar's open and
    matches SL / TP at each tick inside the bar: the kernels walk the ticks the session would, each a point) and
    P&L or margin in another currency (:mod:`.conversion`).
    """
    settings = data.settings
    if len(settings.symbols) != 1:
        return _symbols_limitation(data)
    name = settings.symbols[0]
    spec = settings.specs()[name]
    if settings.model == "real_ticks" and not stored_tick_days(name):
        return "the real_ticks model without stored ticks"
    if settings.model == "every_tick" and not dataset_path(name, "M1").exists():
        return "the every_tick model without stored M1 bars"
    if spec.calc_mode not in _MARGIN_MODES or spec.trade_mode == c.SYMBOL_TRADE_MODE_DISABLED:
        return "the symbol's calculation or trade mode"
    rates = account_rates(data)
    return rates if isinstance(rates, str) else None


def _symbols_limitation(data: MarketData) -> str | None:
    """:func:`market_limitation` of several symbols: each symbol's own, and what their merged account adds."""
    settings = data.settings
    if settings.model in ("every_tick", "real_ticks"):
        return "several symbols on a tick model"
    specs = settings.specs()
    ends = set()
    for name in settings.symbols:
        why = market_limitation(data.of_symbol(name))
        if why is not None:
            return f"{name}: {why}"
        spec = specs[name]
        if spec.profit != settings.currency or spec.margin not in (settings.currency, spec.base):
            return "several symbols with P&L or margin in another currency than the account's"
        times = data.series[name].rates["time"]
        ends.add(int(times[-1]) if len(times) else None)
    return "several symbols whose bars end at different times" if len(ends) > 1 else None


def spec_limitation(spec: StrategySpec, symbol: SymbolSpec) -> str | None:
    """Why the fast path cannot run ``spec`` exactly, or None.

    ``max_open_positions > 1`` (pyramiding: a new position at each repeated entry signal while fewer are open, each
    with its own SL / TP, the exits closing all of them) runs on :mod:`.pyramid`'s kernel, fixed lots or sized by
    risk, in the account's currency or another (each position valued one by one, as the terminal does), on every
    model, on a hedging account (:mod:`.pyramid`) or a netting account (:mod:`.netting`: one merged position).
    """
    risk = spec.risk
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
    conversion: Conversion | None = None
    """The profit and margin rates when either currency is not the account's (:mod:`.conversion`)."""
    detail: tuple[np.ndarray, np.ndarray] | None = None
    """The ``ohlc`` model's M1 bars (or the tick models' ticks, each a row whose OHLC is its bid): per bar the first
    of its rows (``starts[i]:starts[i + 1]``), and the rows (open time, bid OHLC, spread in price units), as the
    kernel's ``detail_start`` and ``detail``."""

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
        detail = None
        if settings.model == "ohlc" and name in data.detail:
            detail = _m1_path(data, symbol, candles)
        elif settings.model in ("every_tick", "real_ticks"):
            detail = _tick_path(data, symbol, candles)
        low, high = (candles.low, candles.high) if detail is None else _envelope(candles, *detail)
        conversion = None
        if symbol.profit != settings.currency or symbol.margin not in (settings.currency, symbol.base):
            found = account_rates(data)
            if isinstance(found, str):
                raise InputError("fast_cannot_convert", symbol=name, why=found)
            conversion = Conversion.of(*found, candles.time, timeframe_seconds(settings.timeframe), candles.open,
                                       low, high, candles.close, prices.buy_fill, prices.sell_fill, BLOCK_SHIFT)
        return cls(data, symbol, rates, candles, prices, IndicatorCache(candles), np.zeros((len(candles) + 1, COLUMNS)),
                   note, conversion, detail)

    def __post_init__(self) -> None:
        size = len(self.candles)
        self._no_levels = (np.zeros(size), np.zeros(size), np.ones(size, dtype=bool))
        self._no_trail = (np.zeros(0), np.zeros(0))
        self._no_lot = np.zeros(10)
        self._wide = np.zeros((0, COLUMNS))
        self._netting = np.zeros((0, NET_COLUMNS))
        self._no_conversion = (np.zeros((1, 0), dtype=np.int64), np.zeros((1, 0)), np.zeros((1, 7)), np.zeros((1, 2)))
        self._charges: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        candles, prices = self.candles, self.prices
        low, high = (candles.low, candles.high) if self.detail is None else _envelope(candles, *self.detail)
        self._blocks = watch_blocks(low, high, candles.spread_price)
        self.bars = bar_table(candles.time, candles.open, high, low, candles.close, candles.spread_price,
                              prices.buy_fill, prices.sell_fill)
        self._no_detail = (False, np.zeros(1, dtype=np.int64), np.zeros((0, 6)))
        self._rates = None if self.conversion is None else self.conversion.bars

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
        rate_long = rate_short = 1.0
        if self.conversion is not None:  # order_calc_profit converts at the stop (the price it is given), at the close
            moments = candles.time + timeframe_seconds(self.data.settings.timeframe)
            rate_long = self.conversion.profit.values_at(moments, long_sl, candles.close)
            rate_short = self.conversion.profit.values_at(moments, short_sl, candles.close)
        with np.errstate(invalid="ignore"):
            loss_long = py_round(((long_sl - buy) * symbol.contract_size * 1.0) * rate_long, 2)
            loss_short = py_round(((candles.close - short_sl) * symbol.contract_size * 1.0) * rate_short, 2)
        return True, lot, loss_long, loss_short

    def limitation(self, spec: StrategySpec) -> str | None:
        """Why the fast path cannot run ``spec`` on this symbol exactly (:func:`spec_limitation`), or None."""
        return spec_limitation(spec, self.symbol)

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
                           settings.currency, self._rates, spec.risk.max_open_positions > 1)

    def ledger(self, spec: StrategySpec) -> Ledger | None:
        """The per-trade numbers of ``spec``, or None when the event engine must run it."""
        rows = self.trade_rows(spec)
        if rows is None:
            return None
        return write_ledger(rows, self.symbol, self.prices, self.charges, self._rates,
                            spec.risk.max_open_positions > 1)

    def metrics(self, spec: StrategySpec) -> dict[str, Any] | None:
        """``compute_metrics`` of ``spec``'s backtest from the arrays (no trade records, no equity curve), or
        None when the event engine must run it."""
        ledger = self.ledger(spec)
        if ledger is None:
            return None
        return ledger_metrics(ledger, self.prices, self.calendar, self.data.settings.capital)

    def _several_rows(self, spec: StrategySpec, enter: dict, rules: dict, trail_long: np.ndarray,
                      trail_short: np.ndarray) -> np.ndarray | None:
        """:meth:`trade_rows` of a spec holding up to ``max_open_positions`` positions (:mod:`.pyramid`; on a netting
        account :mod:`.netting`, rows of the netting layout)."""
        settings, symbol, risk, conversion = self.data.settings, self.symbol, spec.risk, self.conversion
        if settings.margin_mode != "hedging":
            return self._netting_rows(spec, enter, rules, trail_long, trail_short)
        if conversion is not None and conversion.profit.is_one:
            return None  # see market_limitation: a margin-only conversion (linear P&L)
        (enter_long, long_sl, long_tp), (enter_short, short_sl, short_tp) = enter["long"], enter["short"]
        volume = float(risk.lots)
        if len(self._wide) < 2 * len(self.candles) + 2:
            self._wide = np.zeros((2 * len(self.candles) + 2, COLUMNS))
        if conversion is None:
            power = _MARGIN_MODES[symbol.calc_mode] + (symbol.margin != settings.currency)
            converting = (False, NO_LEGS, *self._no_conversion[:3])
        else:  # the margin rate covers the price factor of a margin in the base currency
            power = _MARGIN_MODES[symbol.calc_mode]
            converting = (True, conversion.profit.legs, conversion.profit.times, conversion.profit.values,
                          conversion.bars)
        count, flag = simulate_many(
            self.bars, enter_long, enter_short, rules["exit_long"], rules["exit_short"],
            risk.stop_loss is not None or risk.take_profit is not None or risk.trailing_stop is not None,
            long_sl, long_tp, short_sl, short_tp, -1 if risk.exit_after_bars is None else int(risk.exit_after_bars),
            timeframe_seconds(settings.timeframe), settings.slippage * symbol.point, symbol.contract_size * volume,
            margin_in_margin_currency(symbol, volume, 1.0, settings.leverage), power, settings.capital,
            settings.stop_out_level, self.prices.rollovers, swap_in_profit_currency(symbol, True, volume, 1),
            swap_in_profit_currency(symbol, False, volume, 1), -symbol.commission * volume, self._wide,
            risk.trailing_stop is not None, trail_long, trail_short, volume, int(risk.max_open_positions),
            *self._sizing(spec, long_sl, short_sl), *converting,
            *(self._no_detail if self.detail is None else (True, *self.detail)))
        if flag:
            return None
        return self._wide[:count]

    def _netting_rows(self, spec: StrategySpec, enter: dict, rules: dict, trail_long: np.ndarray,
                      trail_short: np.ndarray) -> np.ndarray | None:
        """:meth:`_several_rows` on a netting account (:mod:`.netting`): the trade rows, then the balance, equity and
        margin of each bar (``ledger.NET_COLUMNS`` wide), in any currency."""
        settings, symbol, risk, conversion = self.data.settings, self.symbol, spec.risk, self.conversion
        (enter_long, long_sl, long_tp), (enter_short, short_sl, short_tp) = enter["long"], enter["short"]
        size = len(self.candles)
        if len(self._netting) < 5 * size + 2:  # a bar's deals: a close, two entries, a stop; then the curves
            self._netting = np.zeros((5 * size + 2, NET_COLUMNS))
        curves = self._netting[len(self._netting) - size:]  # past any trade rows; moved up to follow them
        modes = {c.SYMBOL_CALC_MODE_FOREX: 0.0, c.SYMBOL_CALC_MODE_FOREX_NO_LEVERAGE: 1.0,
                 c.SYMBOL_CALC_MODE_CFDLEVERAGE: 3.0}
        by_price = conversion is None and symbol.margin != settings.currency  # the base currency, priced by the fill
        money = np.array([symbol.contract_size, symbol.commission, swap_in_profit_currency(symbol, True, 1.0, 1),
                          swap_in_profit_currency(symbol, False, 1.0, 1), 10.0 ** symbol.digits,
                          10.0 ** (symbol.digits + 3), modes.get(symbol.calc_mode, 2.0), float(settings.leverage),
                          symbol.margin_rate, 1.0 if by_price else 0.0])
        if conversion is None:
            converting = (False, False, NO_LEGS, *self._no_conversion[:3])
        else:  # the margin rate at each fill covers any margin currency; the P&L's only when it is not the account's
            converting = (not conversion.profit.is_one, True, conversion.profit.legs, conversion.profit.times,
                          conversion.profit.values, conversion.bars)
        count, flag = simulate_netting(
            self.bars, enter_long, enter_short, rules["exit_long"], rules["exit_short"],
            risk.stop_loss is not None or risk.take_profit is not None or risk.trailing_stop is not None,
            long_sl, long_tp, short_sl, short_tp, -1 if risk.exit_after_bars is None else int(risk.exit_after_bars),
            timeframe_seconds(settings.timeframe), settings.slippage * symbol.point, settings.capital,
            settings.stop_out_level, self.prices.rollovers, risk.trailing_stop is not None, trail_long, trail_short,
            float(risk.lots), int(risk.max_open_positions), *self._sizing(spec, long_sl, short_sl), money,
            *(self._no_detail if self.detail is None else (True, *self.detail)), *converting, self._netting, curves)
        if flag:
            return None
        self._netting[count:count + size] = curves  # numpy copies overlapping slices through a buffer
        return self._netting[:count + size]

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
        if risk.max_open_positions > 1:
            return self._several_rows(spec, enter, rules, trail_long, trail_short)
        conversion = self.conversion
        if conversion is None:
            power = _MARGIN_MODES[symbol.calc_mode] + (symbol.margin != settings.currency)
            converting = (NO_LEGS, *self._no_conversion)
        else:  # the margin rate covers the price factor of a margin in the base currency
            power = _MARGIN_MODES[symbol.calc_mode]
            converting = (conversion.profit.legs, conversion.profit.times, conversion.profit.values, conversion.bars,
                          conversion.blocks)
        count, flag = simulate(
            self.bars, enter_long, enter_short, rules["exit_long"], rules["exit_short"],
            risk.stop_loss is not None or risk.take_profit is not None or risk.trailing_stop is not None,
            long_sl, long_tp, short_sl, short_tp,
            -1 if spec.risk.exit_after_bars is None else int(spec.risk.exit_after_bars),
            timeframe_seconds(settings.timeframe),
            settings.slippage * symbol.point, symbol.contract_size * volume,
            margin_in_margin_currency(symbol, volume, 1.0, settings.leverage),
            power, settings.capital,
            settings.stop_out_level, prices.roll_bars, prices.roll_nights,
            swap_in_profit_currency(symbol, True, volume, 1), swap_in_profit_currency(symbol, False, volume, 1),
            -symbol.commission * volume, *self._blocks, self.buffer, risk.trailing_stop is not None, trail_long,
            trail_short, volume, *self._sizing(spec, long_sl, short_sl), conversion is not None, *converting,
            *(self._no_detail if self.detail is None else (True, *self.detail)))
        if flag:
            return None
        return self.buffer[:count]


def fast_market(data: MarketData) -> FastMarket | MergedMarket:
    """``data``'s candles prepared for the fast path: a :class:`FastMarket`, or for several symbols one each in a
    :class:`~mas.vector.merged.MergedMarket` (check :func:`market_limitation` first)."""
    if len(data.settings.symbols) == 1:
        return FastMarket.build(data)
    return MergedMarket(data, [FastMarket.build(data.of_symbol(name)) for name in data.settings.symbols])


def fast_backtest(spec: StrategySpec, data: MarketData, label: str = "SpecStrategy") -> BacktestResult | None:
    """``spec`` backtested on ``data`` by the fast path; None when only the event engine can do it exactly."""
    if market_limitation(data) is not None:
        return None
    market = fast_market(data)
    if market.limitation(spec) is not None:
        return None
    return market.backtest(spec, label)
