"""Instructions per backtest run, counted by valgrind's cachegrind: a figure that repeats to about
1.5% where wall time on a shared machine varies by 5%, for judging small engine changes.

    python bench/bench_instructions.py [--strategy flip|nothing] [--bars 200000]

Runs the same replay as ``bench_engine.py`` under ``valgrind --tool=cachegrind`` twice, once with
one extra run, and prints the difference: the instructions of one run (setup, replay, result and
freeing it), without the interpreter's start-up and imports. Needs valgrind on the PATH.
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


def run_child(strategy: str, bars: int, runs: int) -> None:
    """In the child process: prepare the candles, warm up, then ``runs`` more runs."""
    sys.path.insert(0, str(HERE))
    import bench_engine as be

    os.environ["MAS_HOME"] = tempfile.mkdtemp(prefix="mas-bench-")
    from mas.data.store import clear_cache, save_bars

    candles = be.make_candles(bars)
    clear_cache()
    save_bars("EURUSD", "H1", candles, price_side="ask", has_spread=False)
    do_nothing, sma_flip = be.our_strategies()
    strategy_cls = sma_flip if strategy == "flip" else do_nothing
    for _ in range(1 + runs):
        be.run_ours(len(candles), strategy_cls)


def instructions(strategy: str, bars: int, runs: int) -> int:
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
               sys.executable, __file__, "--child", str(runs), "--strategy", strategy, "--bars", str(bars)]
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"},
                          check=True)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--strategy", choices=("flip", "nothing"), default="flip")
    parser.add_argument("--bars", type=int, default=200_000)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        run_child(args.strategy, args.bars, args.child)
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not on the PATH: install it (e.g. apt install valgrind) to count instructions")
    from mas.build_info import engine_build

    base = instructions(args.strategy, args.bars, 0)
    more = instructions(args.strategy, args.bars, 1)
    print(f"{args.strategy}, {args.bars:,} H1 candles, engine {engine_build()}: "
          f"{(more - base) / 1e6:,.0f} M instructions per run")


if __name__ == "__main__":
    main()
