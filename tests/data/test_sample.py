"""The bundled sample is the source CSV, digit for digit, and its H4/D1 files are its resamplings."""

from __future__ import annotations

import csv
from datetime import datetime, timezone

import numpy as np
import pytest

from mas.data.rates_file import read_rates_file
from mas.data.resample import resample_rates
from mas.data.sample import build_sample, read_candles_csv, sample_dir

from .conftest import SAMPLE_CSV


def _csv_rows() -> list[list[str]]:
    with open(SAMPLE_CSV, newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Time", "Open", "High", "Low", "Close", "Volume"]
    return rows[1:]


def _epoch(text: str) -> int:
    moment = datetime.strptime(text, "%d.%m.%Y %H:%M:%S.%f").replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def test_sample_h1_equals_the_csv_to_the_last_digit():
    stored = read_rates_file(sample_dir() / "EURUSD_H1.parquet")
    rows = _csv_rows()
    rates = stored.rates

    assert rates.size == len(rows) == 6225
    assert rates["time"][0] == _epoch("01.01.2017 22:00:00.000")
    assert rates["time"][-1] == _epoch("29.12.2017 21:00:00.000")
    for row, bar in zip(rows, rates, strict=True):
        assert bar["time"] == _epoch(row[0])
        assert [bar["open"], bar["high"], bar["low"], bar["close"]] == [float(text) for text in row[1:5]]
        assert bar["tick_volume"] == round(float(row[5]))
    assert not rates["spread"].any() and not rates["real_volume"].any()
    assert (stored.price_side, stored.has_spread) == ("ask", False)


@pytest.mark.parametrize("timeframe", ["H4", "D1"])
def test_sample_higher_timeframes_are_resampled_from_h1(timeframe):
    h1 = read_rates_file(sample_dir() / "EURUSD_H1.parquet").rates
    stored = read_rates_file(sample_dir() / f"EURUSD_{timeframe}.parquet")
    np.testing.assert_array_equal(stored.rates, resample_rates(h1, timeframe))
    assert (stored.price_side, stored.has_spread) == ("ask", False)


def test_rebuilding_the_sample_reproduces_the_shipped_files(tmp_path):
    written = build_sample(SAMPLE_CSV, tmp_path)
    assert sorted(path.name for path in written) == [
        "EURUSD_D1.parquet",
        "EURUSD_H1.parquet",
        "EURUSD_H4.parquet",
    ]
    for path in written:
        np.testing.assert_array_equal(
            read_rates_file(path).rates, read_rates_file(sample_dir() / path.name).rates
        )


def test_sample_notice_ships_with_the_files():
    notice = (sample_dir() / "NOTICE.md").read_text()
    assert "gym-anytrading" in notice and "MIT" in notice and "ask" in notice


def test_read_candles_csv_rejects_a_foreign_header(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Date,O,H,L,C\n")
    with pytest.raises(ValueError, match="expected the header"):
        read_candles_csv(path)


def test_read_candles_csv_names_the_malformed_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "Time,Open,High,Low,Close,Volume\n01.01.2017 22:00:00.000,1,1,1,1,1\n2017-01-01,1,1,1,1,1\n"
    )
    with pytest.raises(ValueError, match=r"bad\.csv:3:"):
        read_candles_csv(path)
