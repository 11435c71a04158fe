"""Tick replays end to end: ticks per second of the whole ``subscribe_ticks`` call, as a user calls it.

Rows (each the whole call: loading, building the replay, the walk and the result; best of ``--repeat``):

- **every_tick, a year of M1**: ``--m1-bars`` synthetic M1 candles (``bench_data.m1_candles``: a random walk
  on weekdays, about a year at the default 372,000) stored as the user's M1 data; ``subscribe_ticks`` with
  ``model: every_tick`` replays the ticks synthesized from them (``mas.data.tick_model``, a chunk of ticks at a
  time as the replay reads them) into a do-nothing ``receive_ticks``;
- **real_ticks, a month of stored ticks**: the same synthesis for the first ``--days`` days, written to the
  tick store (``save_ticks``), replayed with ``model: real_ticks``;
- **every_tick, reading each tick**: the same with a strategy that reads each tick's bid: the do-nothing
  strategy's ``receive_ticks`` never reads its tick (the replay then hands it one shared dict), this one gets a
  dict per tick;
- **every_tick bars**: ``subscribe_bars`` on H1 with ``model: every_tick`` over the same year: the ticks are
  walked inside the engine (SL / TP / pending triggers), one ``receive_bars`` per H1 bar: ticks per second of
  the walk.

The figure is ticks delivered (or walked) per second of wall time, and per second of the process's CPU time (on a
machine shared with other work the wall time includes theirs). Each row runs in a fresh process, as a user's script
runs its backtest (best of ``--repeat`` processes, each timing one call after a warm-up one): run one after another
in one process, a row inherits the heap the rows before it left (the year's 17 M-tick rows); ``--one-process`` runs
them all here, best of ``--repeat`` calls each, as before. There is no peer row: backtesting.py and
backtrader replay bars, not ticks. Last, the peak memory of the real_ticks row: a fresh process replays the month
once and reports how far its peak resident memory rose above what it held before the call (Unix only).

    python bench/bench_ticks.py [--m1-bars 372000] [--days 22] [--repeat 3] [--one-process]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

import mas
from bench_data import m1_candles


class DoNothingTicks(mas):
    """Counts the ticks it is given; nothing else."""

    def __init__(self) -> None:
        super().__init__()
        self.ticks = 0

    def receive_ticks(self, symbol, data, is_end):
        self.ticks += 1


class ReadsTicks(DoNothingTicks):
    """Counts the ticks and reads each one's bid: a dict per tick (the do-nothing strategy never reads its tick,
    so the replay hands it one shared dict)."""

    def receive_ticks(self, symbol, data, is_end):
        self.ticks += 1
        self.bid = data["bid"]


class DoNothingBars(mas):
    """Counts the bars it is given; nothing else."""

    def __init__(self) -> None:
        super().__init__()
        self.bars = 0

    def receive_bars(self, symbol, data, is_end):
        self.bars += 1


def best(run, repeat: int) -> tuple[float, float, int]:
    """The best wall time and the best CPU time (this process's, user and system: what other processes on a
    shared machine take does not count) of ``repeat`` runs after one warm-up, and the count the last run
    returned."""
    count = run()
    seconds = cpu = float("inf")
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        count = run()
        seconds = min(seconds, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - cpu_started)
    return seconds, cpu, count


def peak_memory_child(span: dict) -> None:
    """In a fresh process (``MAS_HOME`` set): one real_ticks replay of ``span`` after a one-day warm-up (imports,
    caches); prints the rise of the peak resident memory during it, in MB."""
    import gc
    import resource

    def status_mb(key: str) -> float:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith(key)) / 1024

    DoNothingTicks().subscribe_ticks({**span, "to": span["from"]})
    gc.collect()
    if os.path.exists("/proc/self/clear_refs"):  # Linux: the peak is reset to what the process holds now
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
        before = status_mb("VmRSS")
        peak = lambda: status_mb("VmHWM")  # noqa: E731
    else:  # the peak since the process started (KB, bytes on macOS): the imports' peak may hide the replay's
        scale = 1024 * (1024 if sys.platform == "darwin" else 1)
        peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale  # noqa: E731
        before = peak()
    client = DoNothingTicks()
    client.subscribe_ticks(span)
    print(f"{peak() - before:.0f} {before:.0f} {client.ticks}")


def real_ticks_peak_memory(span: dict) -> str:
    """The peak memory line of the real_ticks row, measured in a child process."""
    if os.name != "posix":
        return "peak memory: not measured (Unix only)"
    done = subprocess.run([sys.executable, __file__, "--memory-child", repr(span)], capture_output=True, text=True,
                          env={**os.environ}, check=True)
    rise, before, ticks = done.stdout.split()
    return (f"real_ticks peak memory: +{rise} MB over the {before} MB the process held before the call "
            f"({int(ticks):,} ticks)")


ROWS = [("subscribe_ticks every_tick, a year of M1", "every_tick", False),
        ("every_tick, reading each tick's bid", "every_tick_read", False),
        ("subscribe_ticks real_ticks, a month stored", "real_ticks", False),
        ("subscribe_bars H1 every_tick (ticks walked)", "bars_on_ticks", True)]
"""(label, row, whether the figure is the ticks walked inside the bars rather than those delivered)."""


def run_row(row: str, spans: dict) -> int:
    """One whole call of ``row`` over ``spans`` ("year", "month": the subscribe parameters' symbol and range); the
    ticks (or bars) the strategy was given."""
    if row == "bars_on_ticks":
        bars = DoNothingBars()
        bars.subscribe_bars({**spans["year"], "timeframe": "H1", "model": "every_tick"})
        return bars.bars
    client = ReadsTicks() if row == "every_tick_read" else DoNothingTicks()
    if row == "real_ticks":
        client.subscribe_ticks({**spans["month"], "model": "real_ticks"})
    else:
        client.subscribe_ticks({**spans["year"], "model": "every_tick"})
    return client.ticks


def row_in_child(row: str, spans: dict, repeat: int) -> tuple[float, float, int]:
    """The best wall and CPU times of ``row`` over ``repeat`` fresh processes (``MAS_HOME`` as here), each timing
    one call after its warm-up: the time of one process's call varies with the process by up to a third (its
    memory layout), more than between calls in one process."""
    seconds = cpu = float("inf")
    count = 0
    for _ in range(max(1, repeat)):
        done = subprocess.run([sys.executable, __file__, "--repeat", "1", "--row-child", row, repr(spans)],
                              capture_output=True, text=True, env={**os.environ}, check=True)
        wall, used, delivered = done.stdout.split()[-3:]
        seconds, cpu, count = min(seconds, float(wall)), min(cpu, float(used)), int(delivered)
    return seconds, cpu, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--m1-bars", type=int, default=372_000)
    parser.add_argument("--days", type=int, default=22, help="Weekdays of stored ticks for the real_ticks row.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one-process", action="store_true", help="Run every row in this process, one after another.")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    parser.add_argument("--row-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        import ast

        peak_memory_child(ast.literal_eval(args.memory_child))
        return
    if args.row_child:
        import ast

        row, spans = args.row_child[0], ast.literal_eval(args.row_child[1])
        print(*best(lambda: run_row(row, spans), args.repeat))
        return
    os.environ["MAS_HOME"] = tempfile.mkdtemp(prefix="mas-bench-")
    from mas.build_info import engine_build
    from mas.data.store import save_bars
    from mas.data.tick_model import TickSynthesis, synthesize_ticks_from_m1
    from mas.data.tick_store import save_ticks

    rates = m1_candles(args.m1_bars)
    save_bars("EURUSD", "M1", rates, price_side="bid", has_spread=True)
    first = datetime(1970, 1, 1) + timedelta(seconds=int(rates["time"][0]))
    last = datetime(1970, 1, 1) + timedelta(seconds=int(rates["time"][-1]))
    month_bars = rates[rates["time"] < rates["time"][0] + args.days * 86400 * 7 // 5]
    stored = synthesize_ticks_from_m1(month_bars, 5)
    save_ticks("EURUSD", stored)
    month_last = datetime(1970, 1, 1) + timedelta(seconds=int(month_bars["time"][-1]))
    year_ticks = TickSynthesis(rates, 5).size
    span = {"symbol": "EURUSD", "from": first.strftime("%Y-%m-%d"), "backtest_toggle": True}
    print(f"engine: {engine_build()}; {len(rates):,} M1 candles ({first:%Y-%m-%d} .. {last:%Y-%m-%d}), "
          f"{year_ticks:,} every-tick ticks; {len(stored):,} stored ticks over {args.days} weekdays\n")

    spans = {"year": {**span, "to": last.strftime("%Y-%m-%d")},
             "month": {**span, "to": month_last.strftime("%Y-%m-%d")}}
    for label, row, walked in ROWS:
        if args.one_process:
            seconds, cpu, count = best(lambda row=row: run_row(row, spans), args.repeat)
        else:
            seconds, cpu, count = row_in_child(row, spans, args.repeat)
        ticks = year_ticks if walked else count
        detail = f"{count:,} H1 bars delivered" if walked else f"{count:,} ticks delivered"
        print(f"{label:<46} {seconds:8.3f} s  {ticks / seconds:>12,.0f} ticks/s  "
              f"(CPU {cpu:.3f} s: {ticks / cpu:,.0f} ticks/s)  ({detail})")
    print(real_ticks_peak_memory({**spans["month"], "model": "real_ticks"}))
    print("\ntarget: >= 5,000,000 ticks/s for a do-nothing strategy")


if __name__ == "__main__":
    main()
