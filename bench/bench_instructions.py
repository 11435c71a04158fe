"""Instructions per backtest run, counted by valgrind's cachegrind: a figure that repeats to about
1.5% where wall time on a shared machine varies by 5%, for judging small engine changes.

    python bench/bench_instructions.py [--strategy flip|user|nothing|e2e] [--bars 200000] [--runs 1]

Runs the same replay as ``bench_engine.py`` under ``valgrind --tool=cachegrind`` twice, once with
``--runs`` extra runs, and prints the difference divided by ``--runs``: the instructions of one run
(setup, replay, result and freeing it), without the interpreter's start-up and imports. More runs
average out what one process does differently from another (about 3% on one run). Needs valgrind on
the PATH. ``--strategy user`` counts the user-style flip of ``bench_engine.py`` (a list of closes, averages of
its slices) on the same candles. ``--strategy e2e`` counts the end-to-end row of ``bench_engine.py`` instead: a
do-nothing ``subscribe_bars`` over ``--bars`` synthetic M1 candles with the store's cache emptied first (reading
the file, building the replay, the replay and the result). ``--cold`` counts the H1 strategies as ``bench_engine.py``'s
user-style row runs them: the store's in-process cache emptied before each run, so each run reads and checks the file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run_child(strategy: str, bars: int, runs: int, cold: bool = False) -> None:
    """In the child process: prepare the candles, warm up, then ``runs`` more runs."""
    sys.path.insert(0, str(HERE))
    import bench_engine as be

    os.environ["MAS_HOME"] = tempfile.mkdtemp(prefix="mas-bench-")
    from mas.data.store import clear_cache, save_bars

    do_nothing, sma_flip = be.our_strategies()
    if strategy == "e2e":
        count = be.m1_bars(bars)
        for _ in range(1 + runs):
            be.run_ours(count, do_nothing, "M1", cold=True)
        return
    candles = be.make_candles(bars)
    clear_cache()
    save_bars("EURUSD", "H1", candles, price_side="ask", has_spread=False)
    strategy_cls = {"flip": sma_flip, "user": be.user_style_flip()}.get(strategy, do_nothing)
    for _ in range(1 + runs):
        be.run_ours(len(candles), strategy_cls, cold=cold)


def instructions(strategy: str, bars: int, runs: int, cold: bool = False) -> int:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--child", str(runs), "--strategy", strategy, "--bars", str(bars),
               *(["--cold"] if cold else [])]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
                          check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--strategy", choices=("flip", "user", "nothing", "e2e"), default="flip")
    parser.add_argument("--bars", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=1, help="extra runs measured (the figure is per run)")
    parser.add_argument("--cold", action="store_true", help="empty the store's cache before each H1 run")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        run_child(args.strategy, args.bars, args.child, args.cold)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not on the PATH: install it (e.g. apt install valgrind) to count instructions")
    from mas.build_info import engine_build

    base = instructions(args.strategy, args.bars, 0, args.cold)
    runs = max(1, args.runs)
    more = instructions(args.strategy, args.bars, runs, args.cold)
    kind = "M1 candles end to end (do-nothing, cold store)" if args.strategy == "e2e" else \
        f"H1 candles{', cold store' if args.cold else ''}"
    print(f"{args.strategy}, {args.bars:,} {kind}, engine {engine_build()}: "
          f"{(more - base) / runs / 1e6:,.0f} M instructions per run ({runs} run{'s' if runs > 1 else ''})")


if __name__ == "__main__":
    main()
