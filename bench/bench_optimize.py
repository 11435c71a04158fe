"""Optimizer speed: a 100-combination MA grid (fast 5..50 step 5, slow 20..200 step 20) over 200,000 H1
candles, side by side with vectorbt in the same process (warm runs: each is timed on its second run).

The candles are those of bench_engine.py (the bundled EURUSD H1 2017 sample repeated end to end).
Ten combinations have fast >= slow, which the built-in refuses (skipped rows); vectorbt runs all
100. Rows:

- mas fast path, simulation: rule arrays, fills, SL/TP and the books of each parameter set (per
  trade: prices, P&L, swaps; per bar: balance and equity), as arrays: no trade objects, no metrics;
- mas optimize (fast path): the whole ``run_optimization``, every set's metrics included
  (``compute_metrics``: drawdown, Sharpe, Sortino, CAGR, trade statistics ...);
- mas event engine: one combination replayed bar by bar, for scale;
- vectorbt: ``MA.run`` x 2, crossover signals, ``Portfolio.from_signals`` and a few metrics.

    pip install -e ".[numba]" vectorbt && python bench/bench_optimize.py [--bars 200000] [--workers 2]
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


def warm_time(run) -> tuple[float, object]:
    run()
    started = time.perf_counter()
    outcome = run()
    return time.perf_counter() - started, outcome


def report(label: str, seconds: float, combos: int, bars: int, cores: int) -> float:
    rate = combos * bars / seconds
    print(f"{label:<40} {seconds:8.3f} s  {combos:4d} sets  {rate:14,.0f} bar-evals/s  {rate / cores:14,.0f} per core")
    return rate / cores


def mas_simulation(bars: int) -> tuple[float, int]:
    from mas.optimize.fast import FastMarket
    from mas.optimize.market_data import MarketData
    from mas.strategy.builtin_specs import builtin_spec

    market = FastMarket.build(MarketData.load(BACKTEST))
    specs = [builtin_spec("ma", fast=f, slow=s) for f in FAST for s in SLOW if f < s]

    def run():
        market.cache = type(market.cache)(market.candles)  # indicators are recomputed on every run
        return [market.simulate(spec) for spec in specs]

    seconds, results = warm_time(run)
    assert all(r is not None for r in results)
    return seconds, len(specs)


def mas_optimize(workers: int) -> tuple[float, object]:
    from mas.optimize.api import run_optimization

    options = {k: v for k, v in BACKTEST.items() if k not in ("symbol", "timeframe")}
    return warm_time(lambda: run_optimization("ma", GRID, engine="fast", workers=workers, backtest=options))


def mas_event_one() -> float:
    from mas.cli import load_strategy

    def run():
        strategy = load_strategy("ma", {"fast": 10, "slow": 40})
        strategy.subscribe_bars({**BACKTEST, "backtest_toggle": True})

    return warm_time(run)[0]


def vectorbt_grid(candles: np.ndarray) -> tuple[float, object]:
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
        return warm_time(run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bars", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2, help="Processes for the parallel mas run.")
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()
    candles = make_candles(args.bars)
    os.environ["MAS_HOME"] = tempfile.mkdtemp(prefix="mas-bench-")
    from mas.data.store import clear_cache, save_bars
    from mas.optimize.fast.jit import HAVE_NUMBA

    clear_cache()
    save_bars("EURUSD", "H1", candles, price_side="ask", has_spread=False)
    n = len(candles)
    print(f"{n:,} EURUSD H1 candles, MA grid fast {FAST[0]}..{FAST[-1]} x slow {SLOW[0]}..{SLOW[-1]} "
          f"({len(FAST) * len(SLOW)} combinations), numba {'on' if HAVE_NUMBA else 'off'}, "
          f"{os.cpu_count()} cores\n")
    seconds, combos = mas_simulation(n)
    ours = report("mas fast path, simulation (1 core)", seconds, combos, n, 1)
    seconds, result = mas_optimize(1)
    ours_full = report("mas optimize, fast path, metrics (1 core)", seconds, result.counts()["ok"], n, 1)
    if args.workers > 1:
        seconds, result = mas_optimize(args.workers)
        report(f"mas optimize, fast path ({args.workers} processes)", seconds, result.counts()["ok"], n, args.workers)
    report("mas event engine, 1 combination", mas_event_one(), 1, n, 1)
    print(f"best: {result.best.params} sharpe {result.best.metrics['sharpe_ratio']:.3f}")
    if args.skip_peers:
        return
    try:
        seconds, _ = vectorbt_grid(candles)
    except ImportError:
        print("vectorbt is not installed (pip install vectorbt): no comparison")
        return
    theirs = report("vectorbt: MA.run, from_signals, 4 metrics", seconds, len(FAST) * len(SLOW), n, 1)
    print(f"\nper core: mas simulation {ours / theirs:.1f}x vectorbt; mas with all metrics {ours_full / theirs:.1f}x")


if __name__ == "__main__":
    main()
