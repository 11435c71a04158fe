"""Scale-out: a 10,000-combination MA grid on a Dask LocalCluster with 2 workers, against 1 worker, against
local processes (2) and against one process, side by side in the same run.

The grid is the built-in ``ma`` strategy, fast 2..101 x slow 110..1100 step 10 (100 x 100 sets, every
one valid), over the bundled EURUSD H1 2017 sample (or ``--bars`` candles made as bench_engine.py makes
them), on the fast path with every metric of ``mas backtest --json``: the whole
``run_optimization(...)`` call, i.e. what ``mas optimize ma --grid ... --cluster local:2`` does, cluster
start included for the Dask rows (reported apart: ``start``).

Reported per row: the wall time, combinations per second, the speedup over one process, and the peak
resident memory of each worker (the largest of the workers, read in the worker itself with
``getrusage`` at the end of the run: for Dask through ``Client.run``, for the process pool from the
pool's children). The job (the candles with it) is scattered to each Dask worker once (``broadcast``)
and each task carries only the job's key, a chunk of parameter sets and the window: the row prints the
pickled job's size and the largest task payload, so "candles shipped once" is measured, not assumed.

    pip install -e ".[dask,numba]" && python bench/bench_scale.py [--combos 10000] [--bars 0]
"""

from __future__ import annotations

import argparse
import os
import pickle
import resource
import tempfile
import time
from typing import Any

import numpy as np

from bench_engine import make_candles

BACKTEST = {"capital": 100_000, "spread": 0,
            "symbol_overrides": {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}}}


def grid(combos: int) -> dict[str, list[int]]:
    """A square grid of about ``combos`` sets with fast < slow in every one."""
    side = max(2, round(combos ** 0.5))
    return {"fast": list(range(2, 2 + side)), "slow": list(range(110, 110 + 10 * side, 10))}


def worker_peak_mb() -> float:
    """This process's peak resident memory in MB (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_serial_or_processes(target_grid: dict, workers: int) -> tuple[float, Any, float]:
    from mas.optimize.api import run_optimization

    started = time.perf_counter()
    result = run_optimization("ma", target_grid, engine="fast", workers=workers, backtest=dict(BACKTEST))
    seconds = time.perf_counter() - started
    if workers == 1:
        peak = worker_peak_mb()
    else:  # the pool's processes have ended: their peak is in the children's usage
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, result, peak


def run_dask(target_grid: dict, workers: int) -> tuple[float, float, Any, float, int, int]:
    """(start seconds, sweep seconds, result, peak MB of the largest worker, job bytes, largest task bytes)."""
    from mas.optimize.api import prepare_job
    from mas.optimize.executors import DaskBackend, chunked
    from mas.optimize.search import search

    started = time.perf_counter()
    job = prepare_job("ma", target_grid, engine="fast", backtest=dict(BACKTEST))
    backend = DaskBackend(job.evaluator, f"local:{workers}")
    start = time.perf_counter() - started
    try:
        began = time.perf_counter()
        result = search(job.search, backend, None)
        seconds = time.perf_counter() - began
        peaks = backend.client.run(worker_peak_mb)
        job_bytes = len(pickle.dumps(job.evaluator))
        items = list(enumerate(job.search.space.grid()))
        key = "Evaluator-" + "0" * 32  # the scattered job travels in a task as its key
        task_bytes = max((len(pickle.dumps((key, chunk, None))) for chunk in chunked(items, backend.workers)),
                         default=0)
    finally:
        backend.close()
    return start, seconds, result, max(peaks.values()), job_bytes, task_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--combos", type=int, default=10_000)
    parser.add_argument("--bars", type=int, default=0, help="H1 candles (0: the bundled 2017 sample as it is).")
    args = parser.parse_args()
    os.environ["MAS_HOME"] = tempfile.mkdtemp(prefix="mas-bench-")
    from mas.data.store import clear_cache, load_bars, save_bars
    from mas.vector.jit import HAVE_NUMBA

    if args.bars:
        clear_cache()
        save_bars("EURUSD", "H1", make_candles(args.bars), price_side="ask", has_spread=False)
    bars = len(load_bars("EURUSD", "H1").rates)
    target_grid = grid(args.combos)
    combos = len(target_grid["fast"]) * len(target_grid["slow"])
    print(f"{combos:,} combinations of ma over {bars:,} EURUSD H1 candles, fast path, every metric; "
          f"numba {'on' if HAVE_NUMBA else 'off'}; {os.cpu_count()} cores\n")
    print(f"{'row':<34} {'start':>7} {'sweep':>8} {'sets/s':>9} {'speedup':>8} {'peak MB/worker':>15}")

    def row(label: str, start: float, seconds: float, result: Any, peak: float, base: float | None) -> float:
        ok = result.counts()["ok"]
        assert ok == combos, f"{label}: {ok} of {combos} sets ran"
        total = start + seconds
        speedup = "" if base is None else f"{base / total:7.2f}x"
        print(f"{label:<34} {start:6.2f}s {seconds:7.2f}s {combos / total:9,.0f} {speedup:>8} {peak:15,.0f}")
        return total

    seconds, serial, peak = run_serial_or_processes(target_grid, 1)
    base = row("1 process (serial)", 0.0, seconds, serial, peak, None)
    seconds, pooled, peak = run_serial_or_processes(target_grid, 2)
    row("2 local processes", 0.0, seconds, pooled, peak, base)
    sizes = []
    for workers in (1, 2):
        start, seconds, result, peak, job_bytes, task_bytes = run_dask(target_grid, workers)
        row(f"Dask LocalCluster, {workers} worker{'s' if workers > 1 else ''}", start, seconds, result, peak, base)
        sizes.append((job_bytes, task_bytes))
        same = np.allclose(result.frame().sort_values(["fast", "slow"])["total_profit_loss"].to_numpy(),
                           serial.frame().sort_values(["fast", "slow"])["total_profit_loss"].to_numpy())
        assert same, "the Dask sweep's results differ from the serial sweep's"
    job_bytes, task_bytes = sizes[-1]
    print(f"\njob scattered once per worker: {job_bytes / 1e6:.2f} MB pickled (candles included); "
          f"largest task payload {task_bytes / 1e3:.1f} kB (a chunk of sets and the job's key)")
    print(f"best: {serial.best.params}")


if __name__ == "__main__":
    main()
