"""Peak memory of a backtest: the whole ``subscribe_bars`` of a do-nothing strategy (or the SMA flip) over
synthetic M1 candles, each run in a fresh process so that its peak resident set is its own.

The candles (``bench_data.m1_candles``: a random walk with spreads) are stored first, by another process; the
measured process imports mas, notes its resident set, runs the backtest once from a cold store and reports
``ru_maxrss`` (the peak) and the peak above the import, per million bars. Twenty years of M1 bars are about
7,500,000 candles (issue 19: under 1.5 GB).

    python bench/bench_memory.py [--bars 1000000 7500000] [--strategy nothing|flip] [--optimizer]

``--optimizer`` adds one row per size for an optimizer worker: the fast path's backtest of the SMA flip
as a spec (``mas.vector.engine.fast_backtest``) over the same candles, data loading included.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mb() -> float:
    """The current resident set (MB), from /proc (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def store_candles(count: int) -> None:
    """Store ``count`` synthetic M1 candles of EURUSD in the current MAS_HOME."""
    sys.path.insert(0, str(HERE))
    from bench_data import m1_candles
    from mas.data.store import save_bars

    save_bars("EURUSD", "M1", m1_candles(count), price_side="bid", has_spread=True)


def measure(strategy: str) -> dict:
    """In the measured process: one cold backtest; its time and memory figures."""
    sys.path.insert(0, str(HERE))
    import bench_engine as be
    import mas  # noqa: F401 (imported before the base line is taken)
    from mas.build_info import engine_build

    base = _rss_mb()
    started = time.perf_counter()
    if strategy == "spec":
        from mas.strategy.parse import parse_text
        from mas.vector.engine import fast_backtest
        from mas.vector.market_data import MarketData

        params = {"symbol": "EURUSD", "timeframe": "M1", "capital": 100_000, "spread": 0,
                  "symbol_overrides": {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}}, "backtest_toggle": True}
        result = fast_backtest(parse_text(be.FLIP_TEXT).spec, MarketData.load(params))
        outcome = f"trades={len(result.closed_trades)}"
        bars = len(result.equity)
    else:
        do_nothing, sma_flip = be.our_strategies()
        outcome = be.run_ours(0, sma_flip if strategy == "flip" else do_nothing, "M1", cold=True)
        bars = 0
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    return {"base_mb": base, "peak_mb": peak, "seconds": elapsed, "outcome": outcome, "bars": bars,
            "engine": engine_build()}


def _run_child(args: list[str], home: str) -> str:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False,
                          env={**os.environ, "MAS_HOME": home})
    if done.returncode != 0:
        raise RuntimeError(f"the measured process failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bars", type=int, nargs="+", default=[1_000_000, 7_500_000])
    parser.add_argument("--strategy", choices=("nothing", "flip"), default="nothing")
    parser.add_argument("--optimizer", action="store_true", help="also measure a fast-path (optimizer) worker")
    parser.add_argument("--child", choices=("store", "nothing", "flip", "spec"), help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "store":
        store_candles(args.count)
        return
    if args.child is not None:
        print(json.dumps(measure(args.child)))
        return
    print(f"{'run':<44} {'bars':>11} {'time':>8} {'bars/s':>12} {'peak RSS':>10} {'above import':>13} "
          f"{'per M bars':>11}")
    for count in args.bars:
        home = tempfile.mkdtemp(prefix="mas-bench-mem-")
        _run_child(["--child", "store", "--count", str(count)], home)
        kinds = [args.strategy] + (["spec"] if args.optimizer else [])
        for kind in kinds:
            row = json.loads(_run_child(["--child", kind], home))
            above = row["peak_mb"] - row["base_mb"]
            label = {"nothing": "replay: do-nothing subscribe_bars", "flip": "replay: SMA(10/30) flip",
                     "spec": "optimizer worker: fast path, flip spec"}[kind] + f" ({row['engine']})"
            print(f"{label:<44} {count:>11,} {row['seconds']:>7.2f}s {count / row['seconds']:>12,.0f} "
                  f"{row['peak_mb']:>8,.0f}MB {above:>11,.0f}MB {above / (count / 1e6):>9,.0f}MB")


if __name__ == "__main__":
    main()
