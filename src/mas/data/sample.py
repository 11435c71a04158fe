"""The bundled sample: real EURUSD 2017 ask candles shipped inside the package.

Rebuild the files from the source CSV with ``python -m mas.data.sample /path/to/EURUSD_H1_2017_ask.csv``.
The CSV has a header ``Time,Open,High,Low,Close,Volume``, times ``DD.MM.YYYY HH:MM:SS.mmm`` in
UTC and the provider's tick volume in units (stored rounded to an integer ``tick_volume``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from mas.data.rates_file import write_rates_file
from mas.data.resample import resample_rates
from mas.i18n.errors import InputError
from mas.terminal.types import RATES_DTYPE

SAMPLE_SYMBOL = "EURUSD"
SAMPLE_TIMEFRAMES = ("H1", "H4", "D1")
_HEADER = ["Time", "Open", "High", "Low", "Close", "Volume"]


def sample_dir() -> Path:
    """The folder holding the bundled sample files (``<SYMBOL>_<TF>.parquet``)."""
    return Path(__file__).resolve().parent / "sample"


def read_candles_csv(csv_path: Path) -> np.ndarray:
    """Parse the sample's source CSV into ``RATES_DTYPE`` (spread and real_volume 0)."""
    lines = Path(csv_path).read_text(encoding="utf-8-sig").splitlines()
    if not lines or lines[0].strip().split(",") != _HEADER:
        raise InputError("sample_header", path=str(csv_path), header=",".join(_HEADER))
    rows = [line.split(",") for line in lines[1:] if line.strip()]
    for number, row in enumerate(rows, start=2):
        if len(row) != len(_HEADER) or len(row[0]) != 23:
            raise InputError("sample_line", path=str(csv_path), line=number)
    stamps = [f"{t[6:10]}-{t[3:5]}-{t[0:2]}T{t[11:23]}" for t, *_ in rows]
    rates = np.zeros(len(rows), dtype=RATES_DTYPE)
    rates["time"] = np.array(stamps, dtype="datetime64[ms]").astype("datetime64[s]").astype(np.int64)
    for column, field in enumerate(("open", "high", "low", "close"), start=1):
        rates[field] = [float(row[column]) for row in rows]
    rates["tick_volume"] = np.rint([float(row[5]) for row in rows]).astype(np.uint64)
    return rates


def build_sample(csv_path: Path, out_dir: Path | None = None) -> list[Path]:
    """Write the H1 sample and its H4 and D1 resamplings from ``csv_path``; return the files."""
    out_dir = Path(out_dir) if out_dir is not None else sample_dir()
    h1 = read_candles_csv(Path(csv_path))
    if np.any(np.diff(h1["time"]) <= 0):
        raise InputError("sample_unordered", path=str(csv_path))
    written = []
    for timeframe in SAMPLE_TIMEFRAMES:
        rates = h1 if timeframe == "H1" else resample_rates(h1, timeframe)
        path = out_dir / f"{SAMPLE_SYMBOL}_{timeframe}.parquet"
        write_rates_file(
            path, rates, price_side="ask", has_spread=False, symbol=SAMPLE_SYMBOL, timeframe=timeframe
        )
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Rebuild the sample files from the CSV named on the command line and print their paths; the exit status."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m mas.data.sample /path/to/EURUSD_H1_2017_ask.csv", file=sys.stderr)
        return 2
    for path in build_sample(Path(args[0])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
