"""Data-layer speed: MT5 CSV import, store load, M1 -> H1 resampling, every-tick synthesis.

Targets (issue 3): import 1,000,000 MT5-export rows in <= 5 s; load 1,000,000 candles in
<= 0.2 s; resample 1,000,000 M1 candles to H1 in <= 0.5 s; synthesize >= 5,000,000 ticks/s.
pandas' own resampling of the same candles is timed side by side.

    python bench/bench_data.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from mas.terminal.types import RATES_DTYPE


def m1_candles(count: int, seed: int = 7) -> np.ndarray:
    """A random walk of M1 candles on weekdays (5-digit prices, spreads 5..20 points)."""
    rng = np.random.default_rng(seed)
    minutes = np.arange(count * 2, dtype=np.int64) * 60 + 1_483_315_200  # from Mon 2017-01-02
    weekday = ((minutes // 86400) + 3) % 7  # 0 = Monday
    minutes = minutes[weekday < 5][:count]
    steps = rng.normal(0, 0.00008, size=(count, 4)).cumsum(axis=1)
    base = 1.1 + np.cumsum(rng.normal(0, 0.0001, size=count))
    rates = np.zeros(count, dtype=RATES_DTYPE)
    rates["time"] = minutes
    rates["open"] = np.round(base, 5)
    rates["close"] = np.round(base + steps[:, 3], 5)
    rates["high"] = np.round(np.maximum(rates["open"], rates["close"]) + np.abs(steps[:, 1]), 5)
    rates["low"] = np.round(np.minimum(rates["open"], rates["close"]) - np.abs(steps[:, 2]), 5)
    rates["tick_volume"] = rng.integers(1, 120, size=count)
    rates["spread"] = rng.integers(5, 20, size=count)
    return rates


def write_mt5_export(rates: np.ndarray, path: Path) -> None:
    stamps = rates["time"].astype("datetime64[s]").astype(str)
    lines = ["<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>"]
    for stamp, o, h, lo, c, v, s in zip(stamps, rates["open"], rates["high"], rates["low"], rates["close"],
                                        rates["tick_volume"], rates["spread"], strict=True):
        day, clock = stamp.split("T")
        lines.append(f"{day.replace('-', '.')}\t{clock}\t{o:.5f}\t{h:.5f}\t{lo:.5f}\t{c:.5f}\t{v}\t0\t{s}")
    path.write_text("\n".join(lines) + "\n")


def timed(label: str, run, per: int | None = None, unit: str = "") -> float:
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    rate = f"  {per / elapsed:>14,.0f} {unit}/s" if per else ""
    print(f"{label:<52} {elapsed:8.3f} s{rate}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ["MAS_HOME"] = tempfile.mkdtemp(prefix="mas-bench-data-")
    from mas.data.importers import import_file
    from mas.data.resample import resample_rates
    from mas.data.store import clear_cache, load_bars
    from mas.data.tick_model import synthesize_ticks_from_m1

    rates = m1_candles(args.rows)
    export = Path(os.environ["MAS_HOME"]) / "EURUSD_M1.csv"
    write_mt5_export(rates, export)
    print(f"{args.rows:,} M1 candles\n")
    timed("import MT5 export (parse, check, store)", lambda: import_file(export, "EURUSD", "M1"), args.rows, "rows")
    clear_cache()
    timed("load M1 candles from the store (cold)", lambda: load_bars("EURUSD", "M1"), args.rows, "candles")
    timed("resample M1 -> H1 (mas)", lambda: resample_rates(rates, "H1"), args.rows, "candles")

    import pandas as pd

    frame = pd.DataFrame({k: rates[k] for k in ("open", "high", "low", "close", "tick_volume")},
                         index=pd.to_datetime(rates["time"], unit="s"))
    rules = {"open": "first", "high": "max", "low": "min", "close": "last", "tick_volume": "sum"}
    timed("resample M1 -> H1 (pandas, same candles)", lambda: frame.resample("1h").agg(rules).dropna(), args.rows,
          "candles")
    ticks = synthesize_ticks_from_m1(rates[:100], 5)
    year = min(args.rows, 372_000)  # about a year of M1 candles: what an every_tick backtest of a year replays
    for label, candles in (("a year of M1", rates[:year]), (f"all {args.rows:,} M1", rates)):
        started = time.perf_counter()
        ticks = synthesize_ticks_from_m1(candles, 5)
        elapsed = time.perf_counter() - started
        print(f"{'synthesize every-tick ticks, ' + label:<52} {elapsed:8.3f} s  {len(ticks) / elapsed:>14,.0f} ticks/s"
              f"  ({len(ticks):,} ticks)")
        del ticks


if __name__ == "__main__":
    main()
