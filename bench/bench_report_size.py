"""Report page sizes and the time to write them: a year of H1 (the bundled EURUSD H1 2017 sample).

Rows:

- **built-ins** (``ma``, ``rsi``, ``macd``, ``kd``, ``bband``): ``mas backtest NAME --json run.json --report-dir D``
  as a user runs it; the size of the KPI page and of the trade chart (the shared ``plotly-*.js``,
  ``mas-report-*.js`` and ``mas-trademarkers-*.js`` beside them are listed once at the end);
- **busy**: a bracket strategy (a market order with SL and TP ``--pips`` away every ``--every`` bars while flat,
  alternating buy and sell), about 1,500 trades on the year with the defaults, and one of about 2,800 (every 2 bars,
  6 pips) for the headroom.

Write time: ``write_kpi_report`` and ``write_trade_chart`` of the result (read back from the saved ``--json`` for the
built-ins), best of ``--repeat``, in this process. Pages must stay under 1,000,000 bytes each
(tests/reports/test_report_size.py asserts it).

    python bench/bench_report_size.py [--repeat 3] [--every 4] [--pips 10]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mas
from mas.reports.chart import write_trade_chart
from mas.reports.kpi import write_kpi_report
from mas.reports.saved_result import load_saved_result

BUILTINS = ("ma", "rsi", "macd", "kd", "bband")
LIMIT = 1_000_000


class Bracket(mas):
    """Flat -> a market order with SL and TP ``pips`` away, alternating buy and sell, every ``every`` bars."""

    def __init__(self, every: int, pips: float) -> None:
        super().__init__()
        self.every, self.distance, self.seen, self.sent = every, pips * 0.0001, 0, 0

    def receive_bars(self, symbol: str, data: dict, is_end: bool) -> None:
        self.seen += 1
        if is_end or self.seen % self.every or self.get_positions({"backtest_toggle": True}):
            return
        close, sign = float(data["close"]), 1.0 if self.sent % 2 == 0 else -1.0
        self.sent += 1
        self.send_order({"symbol": symbol, "order_type": "buy" if sign > 0 else "sell", "volume": 0.1,
                         "backtest_toggle": True, "sl": round(close - sign * self.distance, 5),
                         "tp": round(close + sign * self.distance, 5)})


def write_times(result: object, folder: Path, repeat: int) -> tuple[int, int, float, float]:
    """KPI and chart page sizes, and the best seconds to write each."""
    best_kpi = best_chart = float("inf")
    kpi = chart = Path()
    for _ in range(repeat):
        started = time.perf_counter()
        kpi = write_kpi_report(result, folder, "bench")  # type: ignore[arg-type]
        best_kpi = min(best_kpi, time.perf_counter() - started)
        started = time.perf_counter()
        chart = write_trade_chart(result, folder, "bench")  # type: ignore[arg-type]
        best_chart = min(best_chart, time.perf_counter() - started)
    return kpi.stat().st_size, chart.stat().st_size, best_kpi, best_chart


def row(name: str, trades: int, kpi: int, chart: int, t_kpi: float, t_chart: float) -> None:
    flag = "" if max(kpi, chart) < LIMIT else "  OVER 1 MB"
    print(f"{name:<22} {trades:>7,} {kpi:>12,} {chart:>12,} {t_kpi:>9.2f} {t_chart:>9.2f}{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--every", type=int, default=4, help="the busy strategy trades every N bars while flat")
    parser.add_argument("--pips", type=float, default=10.0, help="the busy strategy's SL / TP distance")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_report_") as tmp:
        root = Path(tmp)
        os.environ.setdefault("MAS_HOME", str(root / "home"))
        print(f"{'run (a year of H1)':<22} {'trades':>7} {'KPI bytes':>12} {'chart bytes':>12} {'KPI s':>9} "
              f"{'chart s':>9}")
        for name in BUILTINS:
            out = root / name
            done = subprocess.run([sys.executable, "-m", "mas", "backtest", name, "--json",
                                   str(out / "run.json"), "--report-dir", str(out)], capture_output=True, text=True,
                                  check=False)
            if done.returncode != 0:
                print(f"{name}: mas backtest failed: {done.stderr[-500:]}")
                continue
            pages = {p.name.split("_", 1)[0]: p.stat().st_size for p in out.glob("*.html")}
            result, _ = load_saved_result(out / "run.json")
            _, _, t_kpi, t_chart = write_times(result, root / f"{name}_again", args.repeat)
            row(f"mas backtest {name}", len(result.trades), pages["kpi"], pages["chart"], t_kpi, t_chart)
        settings = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31",
                    "capital": 10_000, "backtest_toggle": True}
        for every, pips in ((args.every, args.pips), (2, 6.0)):
            strategy = Bracket(every, pips)
            strategy.subscribe_bars(dict(settings))
            result = strategy.backtest_result
            row(f"busy (every {every}, {pips:g} pips)", len(result.trades),
                *write_times(result, root / f"busy_{every}", args.repeat))
        shared = sorted({(p.name, p.stat().st_size) for p in root.glob("*/*.js")})
        print("shared beside the pages (once per folder): " + ", ".join(f"{n} {s:,}" for n, s in shared))


if __name__ == "__main__":
    main()
