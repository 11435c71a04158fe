"""Optimizer speed: a 100-combination MA grid (fast 5..50 step 5, slow 20..200 step 20) over 200,000 H1
candles, side by side with vectorbt in the same process. Every row is warm (one untimed run first) and
reports the best of ``--repeat`` timed runs (3 by default), in bar-evaluations per second (combinations
times bars over the time) and per core.

The candles are those of bench_engine.py (the bundled EURUSD H1 2017 sample repeated end to end).
Ten combinations have fast >= slow, which the built-in refuses (skipped rows, not counted); vectorbt
runs all 100. What each row computes:

- **mas fast path, books (1 core)**: for each set, the rule arrays (crossings; the SMA of each period
  computed once per run), the trades (fills at the next open, the stop-out and margin watch) and the
  books: per trade entry and exit prices, P&L and swaps rounded as MT5 books them, and per bar the
  balance and the equity. No metrics. (``FastMarket.simulate``; the cache of SMA arrays is emptied
  before each run.)
- **mas optimize, fast path (1 core / N processes)**: the whole ``run_optimization("ma", grid,
  engine="fast")``: loading the candles, preparing them, and for each set the trades and *every*
  metric of ``compute_metrics`` (what ``mas backtest --json`` reports), computed from the kernel's
  arrays: number of trades, winning / losing / breakeven trades, win and loss rate, total P&L, gross
  profit and loss, profit factor, profit/loss ratio, average win and loss, expectancy, largest win and
  loss, longest runs of wins and losses, average holding time, total commission and swap, long / short
  counts, win rates and P&L, open trades and their P&L, max drawdown (bar by bar), total return, CAGR,
  Sharpe and Sortino (daily returns), exposure, final equity, net profit, bars and trading days. Each
  row of the result keeps the ``mas backtest --json`` keys. With more than one process the per-core
  figure divides by the processes.
- **mas event engine, 1 combination**: one set replayed bar by bar through the simulated terminal, for
  scale.
- **vectorbt**: ``vbt.MA.run`` for the 10 fast and the 10 slow windows, ``ma_crossed_above`` /
  ``ma_crossed_below`` as entries and exits, ``Portfolio.from_signals`` (fills at the signal bar's close,
  10,000 units, no fees), then four metrics per combination: total return, Sharpe ratio (of the
  hourly returns), max drawdown and the trades' win rate.

Both sides trade the same crossings of the same SMAs; the simulations differ (mas fills at the next
open through the MT5 margin account; vectorbt at the close), and mas computes ten times the metrics.

With ``--kinds`` it also times, on the first ``--kinds-bars`` candles, each kind of spec the fast path took over
from the event engine (issue 19), one backtest on each engine, checking that they trade the same: P&L in another
currency (USDJPY on a USD account: the candles times 100 plus 2; EURUSD on a JPY account, converted through that
USDJPY), several positions at once (RSI pyramiding up to 3; also in JPY and on the ``ohlc`` model), the ``ohlc``
model (synthetic M1 bars inside the first 5,000 candles) and the ``every_tick`` model (ticks synthesized from those M1
bars, first 2,000 candles), next to a one-position SL / TP spec for scale.

    pip install -e ".[numba]" vectorbt && python bench/bench_optimize.py [--bars 200000] [--workers 2] [--repeat 3]
        [--kinds] [--kinds-bars 20000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings

import numpy as np

from bench_engine import make_candles

FAST = list(range(5, 51, 5))
SLOW = list(range(20, 201, 20))
GRID = {"fast": FAST, "slow": SLOW}
BACKTEST = {"symbol": "EURUSD", "timeframe": "H1", "capital": 100_000, "spread": 0,
            "symbol_overrides": {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}}}
REPEAT = 3


def best_time(run, repeat: int = REPEAT) -> tuple[float, object]:
    """One untimed (warm-up) run, then the best of ``repeat`` timed runs, and the last run's outcome."""
    outcome = run()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        outcome = run()
        best = min(best, time.perf_counter() - started)
    return best, outcome


def report(label: str, seconds: float, combos: int, bars: int, cores: int) -> float:
    rate = combos * bars / seconds
    print(f"{label:<44} {seconds:8.3f} s  {combos:4d} sets  {rate:14,.0f} bar-evals/s  {rate / cores:14,.0f} per core")
    return rate / cores


def mas_books(repeat: int) -> tuple[float, int]:
    from mas.strategy.builtin_specs import builtin_spec
    from mas.vector import FastMarket
    from mas.vector.market_data import MarketData

    market = FastMarket.build(MarketData.load(BACKTEST))
    specs = [builtin_spec("ma", fast=f, slow=s) for f in FAST for s in SLOW if f < s]

    def run():
        market.cache = type(market.cache)(market.candles)  # indicators are recomputed on every run
        return [market.simulate(spec) for spec in specs]

    seconds, results = best_time(run, repeat)
    assert all(r is not None for r in results)
    return seconds, len(specs)


def mas_optimize(workers: int, repeat: int) -> tuple[float, object]:
    from mas.optimize.api import run_optimization

    options = {k: v for k, v in BACKTEST.items() if k not in ("symbol", "timeframe")}
    return best_time(lambda: run_optimization("ma", GRID, engine="fast", workers=workers, backtest=options), repeat)


def mas_event_one(repeat: int) -> float:
    from mas.app import load_strategy

    def run():
        strategy = load_strategy("ma", {"fast": 10, "slow": 40})
        strategy.subscribe_bars({**BACKTEST, "backtest_toggle": True})

    return best_time(run, repeat)[0]


def _kind_specs() -> dict:
    """The spec of each kind (the MA cross both ways with SL / TP; RSI pyramiding up to 3 positions)."""
    from mas.strategy.builtin_specs import builtin_spec
    from mas.strategy.spec import spec_from_dict

    def both_ways(name: str, risk: dict):
        document = builtin_spec(name).model_dump(mode="json", exclude_none=True)
        return spec_from_dict({**document, "entry_short": document["exit_long"], "exit_short": document["entry_long"],
                               "risk": risk})

    stops = {"lots": 0.1, "stop_loss": {"unit": "pips", "value": 30}, "take_profit": {"unit": "pips", "value": 60}}
    return {"ma": both_ways("ma", stops), "rsi x3": both_ways("rsi", {**stops, "max_open_positions": 3})}


def _m1_inside(h1: np.ndarray) -> np.ndarray:
    """Synthetic M1 bars inside each H1 bar: a 60-step random walk (seed 3) mapped onto the bar's low .. high."""
    rng = np.random.default_rng(3)
    walk = np.cumsum(rng.normal(0.0, 1.0, (len(h1), 61)), axis=1)
    lo, hi = walk.min(axis=1, keepdims=True), walk.max(axis=1, keepdims=True)
    path = np.round(h1["low"][:, None] + (walk - lo) / np.where(hi > lo, hi - lo, 1.0)
                    * (h1["high"] - h1["low"])[:, None], 5)
    out = np.zeros(len(h1) * 60, dtype=h1.dtype)
    out["time"] = (h1["time"][:, None] + 60 * np.arange(60)[None, :]).ravel()
    out["open"], out["close"] = path[:, :-1].ravel(), path[:, 1:].ravel()
    out["high"], out["low"] = np.maximum(out["open"], out["close"]), np.minimum(out["open"], out["close"])
    out["tick_volume"] = 10
    return out


def kinds(candles: np.ndarray, repeat: int) -> None:
    """One backtest per kind on each engine: seconds, bars per second, the ratio; the two trade the same."""
    from mas.app import load_strategy  # noqa: F401 - the event engine's session machinery, imported once
    from mas.data.store import clear_cache, save_bars
    from mas.optimize.replay import replay
    from mas.strategy.compiler import compile_spec
    from mas.vector import FastMarket
    from mas.vector.market_data import MarketData

    jpy = candles.copy()
    for field in ("open", "high", "low", "close"):
        jpy[field] = np.round(jpy[field] * 100.0 + 2.0, 3)
    save_bars("USDJPY", "H1", jpy, price_side="ask", has_spread=False)
    save_bars("EURUSD", "M1", _m1_inside(candles[:5000]), price_side="ask", has_spread=False)
    clear_cache()
    first, last = (f"{np.datetime64(int(candles['time'][k]), 's')}".replace("T", " ") for k in (0, -1))
    fifth = f"{np.datetime64(int(candles['time'][4999]), 's')}".replace("T", " ")
    fifth2k = f"{np.datetime64(int(candles['time'][1999]), 's')}".replace("T", " ")
    specs = _kind_specs()
    rows = [("one position, SL / TP (for scale)", {"symbol": "EURUSD"}, "ma"),
            ("P&L in JPY: USDJPY on a USD account", {"symbol": "USDJPY"}, "ma"),
            ("EURUSD on a JPY account (via USDJPY)", {"symbol": "EURUSD", "currency": "JPY", "captital": 2_000_000},
             "ma"),
            ("several positions: RSI, up to 3", {"symbol": "EURUSD"}, "rsi x3"),
            ("ohlc model, M1 paths (5,000 H1 bars)", {"symbol": "EURUSD", "model": "ohlc", "to": fifth}, "ma"),
            ("several positions, P&L in JPY (USDJPY)", {"symbol": "USDJPY"}, "rsi x3"),
            ("several positions, ohlc (5,000 H1 bars)", {"symbol": "EURUSD", "model": "ohlc", "to": fifth}, "rsi x3"),
            ("every_tick model, ticks (2,000 H1 bars)", {"symbol": "EURUSD", "model": "every_tick", "to": fifth2k},
             "ma")]
    print(f"\nkinds of spec on the fast path, {len(candles):,} H1 candles: one backtest on each engine (fast: per "
          f"parameter set, the candles prepared once; best of {repeat})")
    for label, params, name in rows:
        data = MarketData.load({"timeframe": "H1", "from": first, "to": last, "spread": 12, "commission": 3.5,
                                **params})
        bars = data.bars
        market = FastMarket.build(data)
        fast_seconds, fast = best_time(lambda: market.backtest(specs[name], "kind"), repeat)  # noqa: B023
        event_seconds, event = best_time(lambda: replay(compile_spec(specs[name])(), data), 1)  # noqa: B023
        same = fast is not None and [t.as_dict() for t in fast.trades] == [t.as_dict() for t in event.trades]
        print(f"{label:<40} fast {fast_seconds:7.3f} s {bars / fast_seconds:12,.0f} bars/s   event "
              f"{event_seconds:7.3f} s {bars / event_seconds:10,.0f} bars/s   {event_seconds / fast_seconds:6.0f}x   "
              f"trades={len(event.trades)} same_as_event={same}")


def vectorbt_grid(candles: np.ndarray, repeat: int = REPEAT) -> tuple[float, object]:
    import pandas as pd
    import vectorbt as vbt

    index = pd.to_datetime(candles["time"], unit="s")
    close = pd.Series(candles["close"], index=index)

    def run():
        fast = vbt.MA.run(close, window=FAST, short_name="fast")
        slow = vbt.MA.run(close, window=SLOW, short_name="slow")
        entries = fast.ma_crossed_above(slow)
        exits = fast.ma_crossed_below(slow)
        portfolio = vbt.Portfolio.from_signals(close, entries, exits, size=10_000, init_cash=100_000, freq="1h")
        return (portfolio.total_return(), portfolio.sharpe_ratio(), portfolio.max_drawdown(),
                portfolio.trades.win_rate())

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return best_time(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bars", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2, help="Processes for the parallel mas run.")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="Timed runs per row (the best is reported).")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--kinds", action="store_true", help="Also time each kind of spec the fast path runs.")
    parser.add_argument("--kinds-bars", type=int, default=20_000, help="Candles of the --kinds rows.")
    parser.add_argument("--kinds-only", action="store_true", help="Only the --kinds rows.")
    args = parser.parse_args()
    candles = make_candles(args.bars)
    os.environ["MAS_HOME"] = tempfile.mkdtemp(prefix="mas-bench-")
    from mas.data.store import clear_cache, save_bars
    from mas.vector.jit import HAVE_NUMBA

    clear_cache()
    save_bars("EURUSD", "H1", candles, price_side="ask", has_spread=False)
    n = len(candles)
    print(f"{n:,} EURUSD H1 candles, MA grid fast {FAST[0]}..{FAST[-1]} x slow {SLOW[0]}..{SLOW[-1]} "
          f"({len(FAST) * len(SLOW)} combinations), numba {'on' if HAVE_NUMBA else 'off'}, "
          f"{os.cpu_count()} cores, warm runs, best of {args.repeat}\n")
    if args.kinds or args.kinds_only:
        kinds(candles[:args.kinds_bars], args.repeat)
        if args.kinds_only:
            return
    seconds, combos = mas_books(args.repeat)
    ours_books = report("mas fast path, books (1 core)", seconds, combos, n, 1)
    seconds, result = mas_optimize(1, args.repeat)
    ours = report("mas optimize, fast path, all metrics (1 core)", seconds, result.counts()["ok"], n, 1)
    if args.workers > 1:
        seconds, parallel = mas_optimize(args.workers, args.repeat)
        report(f"mas optimize, fast path ({args.workers} processes)", seconds, parallel.counts()["ok"], n,
               args.workers)
    report("mas event engine, 1 combination", mas_event_one(args.repeat), 1, n, 1)
    print(f"best: {result.best.params} sharpe {result.best.metrics['sharpe_ratio']:.3f}")
    if args.skip_peers:
        return
    try:
        seconds, _ = vectorbt_grid(candles, args.repeat)
    except ImportError:
        print("vectorbt is not installed (pip install vectorbt): no comparison")
        return
    theirs = report("vectorbt: MA.run, from_signals, 4 metrics", seconds, len(FAST) * len(SLOW), n, 1)
    print(f"\nper core: mas optimize with all metrics {ours / theirs:.1f}x vectorbt; "
          f"mas books without metrics {ours_books / theirs:.1f}x")


if __name__ == "__main__":
    main()
