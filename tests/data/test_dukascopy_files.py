"""Dukascopy .bi5 files: exact round trips of candles and ticks, checks, dates from the folder tree."""

from __future__ import annotations

import lzma
import math
from datetime import date, datetime, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.data.bi5 import Bi5Error
from mas.data.importers import import_file, read_file
from mas.data.importers.dukascopy import candles_from_bi5, ticks_from_bi5
from mas.data.store import load_bars
from mas.data.tick_store import load_ticks
from mas.terminal.constants import TICK_FLAG_ASK, TICK_FLAG_BID

from .conftest import fresh_mas_home
from .dukascopy_encoder import datafeed_path, encode_candles, encode_ticks, write_datafeed_file

DAY = datetime(2024, 3, 5, tzinfo=timezone.utc)
DAY_START = int(DAY.timestamp())


def decimal_price(points: int, digits: int) -> float:
    """The price a human reads: the decimal string, parsed."""
    return float(f"{points}e-{digits}")


@st.composite
def candle_rows(draw) -> list[tuple[int, int, int, int, int, float]]:
    minutes = sorted(draw(st.sets(st.integers(0, 1439), min_size=1, max_size=40)))
    rows = []
    for minute in minutes:
        low = draw(st.integers(2_000_000, 19_000_000))
        high = low + draw(st.integers(0, 5000))
        open_, close = (draw(st.integers(low, high)) for _ in range(2))
        volume = float(np.float32(draw(st.floats(0.25, 1e6, allow_nan=False, width=32))))
        rows.append((60 * minute, open_, close, low, high, volume))
    return rows


@settings(max_examples=60, deadline=None)
@given(rows=candle_rows(), digits=st.sampled_from([2, 3, 5]))
def test_candle_file_round_trips_exactly(rows, digits):
    parsed = candles_from_bi5(encode_candles(rows), DAY_START, digits, "fixture")
    rates = parsed.rates
    assert parsed.issues == [] and parsed.rows_read == len(rows)
    assert rates["time"].tolist() == [DAY_START + row[0] for row in rows]
    for name, column in (("open", 1), ("close", 2), ("low", 3), ("high", 4)):
        assert rates[name].tolist() == [decimal_price(row[column], digits) for row in rows]
    assert rates["tick_volume"].tolist() == [math.ceil(row[5]) for row in rows]
    assert rates["real_volume"].tolist() == [round(row[5] * 1e6) for row in rows]
    assert not rates["spread"].any()


@st.composite
def tick_rows(draw) -> list[tuple[int, int, int, float, float]]:
    stamps = sorted(draw(st.lists(st.integers(0, 3_599_999), min_size=1, max_size=60)))
    rows = []
    for stamp in stamps:
        bid = draw(st.integers(2_000_000, 19_000_000))
        ask = bid + draw(st.integers(0, 300))
        volumes = [float(np.float32(draw(st.floats(0.0, 100.0, width=32)))) for _ in range(2)]
        rows.append((stamp, ask, bid, *volumes))
    return rows


@settings(max_examples=60, deadline=None)
@given(rows=tick_rows(), digits=st.sampled_from([3, 5]), hour=st.integers(0, 23))
def test_tick_file_round_trips_exactly(rows, digits, hour):
    hour_start = DAY_START + 3600 * hour
    parsed = ticks_from_bi5(encode_ticks(rows), hour_start, digits, "fixture")
    ticks = parsed.ticks
    assert parsed.issues == [] and ticks.size == len(rows)
    assert ticks["time_msc"].tolist() == [hour_start * 1000 + row[0] for row in rows]
    assert ticks["time"].tolist() == [(hour_start * 1000 + row[0]) // 1000 for row in rows]
    assert ticks["ask"].tolist() == [decimal_price(row[1], digits) for row in rows]
    assert ticks["bid"].tolist() == [decimal_price(row[2], digits) for row in rows]
    assert ticks["volume_real"].tolist() == [row[3] + row[4] for row in rows]
    assert ticks["flags"][0] == TICK_FLAG_BID | TICK_FLAG_ASK


def test_zero_volume_minutes_are_reported_by_record_and_not_stored():
    rows = [(0, 110420, 110450, 110400, 110480, 1.5), (60, 110450, 110450, 110450, 110450, 0.0)]
    rows += [(120, 110450, 110490, 110430, 110500, 2.0), (180, 110490, 110490, 110490, 110490, 0.0)]
    parsed = candles_from_bi5(encode_candles(rows), DAY_START, 5, "fixture")
    assert parsed.rates["time"].tolist() == [DAY_START, DAY_START + 120]
    [issue] = parsed.issues
    assert (issue.kind, issue.count, issue.lines, issue.stored) == ("no_trading", 2, (2, 4), False)


def test_inverted_and_crossed_records_are_left_out():
    candles = candles_from_bi5(encode_candles([(0, 5, 5, 9, 4, 1.0), (60, 5, 5, 4, 9, 1.0)]), 0, 5, "x")
    assert candles.rates["time"].tolist() == [60]
    assert {issue.kind: issue.lines for issue in candles.issues}["inverted"] == (1,)
    ticks = ticks_from_bi5(encode_ticks([(0, 100, 101, 1, 1), (5, 102, 101, 1, 1)]), 0, 5, "x")
    assert ticks.ticks["time_msc"].tolist() == [5]
    assert [(issue.kind, issue.lines) for issue in ticks.issues] == [("crossed", (1,))]


def test_import_takes_the_date_from_the_datafeed_tree_with_zero_based_months(tmp_path):
    relative = datafeed_path("EURUSD", 2024, 1, 31, "BID_candles_min_1.bi5")
    assert relative == "EURUSD/2024/00/31/BID_candles_min_1.bi5"
    path = write_datafeed_file(tmp_path, relative, encode_candles([(600, 110420, 110450, 110400, 110480, 1.0)]))
    report = import_file(path, "EURUSD")
    assert (report.file_format, report.timeframe, report.rows_stored) == ("dukascopy", "M1", 1)
    assert report.first == datetime(2024, 1, 31, 0, 10, tzinfo=timezone.utc)
    series = load_bars("EURUSD", "M1")
    assert (series.price_side, series.has_spread) == ("bid", False)
    assert series.rates["close"].tolist() == [1.1045]


def test_hour_tick_file_fills_the_tick_store_and_m1_bars(tmp_path):
    rows = [(250, 141_236, 141_230, 1.0, 2.0), (30_000, 141_238, 141_234, 1.0, 1.0), (61_500, 141_240, 141_231, 1, 1)]
    path = write_datafeed_file(tmp_path, datafeed_path("USDJPY", 2024, 2, 29, "13h_ticks.bi5"), encode_ticks(rows))
    report = import_file(path, "usdjpy")
    assert (report.timeframe, report.rows_stored, report.tick_update.added) == ("TICKS", 3, 3)
    hour = int(datetime(2024, 2, 29, 13, tzinfo=timezone.utc).timestamp())
    ticks = load_ticks("USDJPY")
    assert ticks["time_msc"].tolist() == [hour * 1000 + 250, hour * 1000 + 30_000, hour * 1000 + 61_500]
    assert ticks["bid"].tolist() == [141.23, 141.234, 141.231]  # USDJPY has 3 digits
    bars = load_bars("USDJPY", "M1").rates
    assert bars["time"].tolist() == [hour, hour + 60]
    assert bars[["open", "high", "low", "close"]].tolist() == [(141.23, 141.234, 141.23, 141.234)] + [
        (141.231, 141.231, 141.231, 141.231)
    ]
    assert bars["spread"].tolist() == [4, 9] and bars["tick_volume"].tolist() == [2, 1]


def test_ask_candles_are_stored_as_ask_prices_and_digits_can_be_given(tmp_path):
    path = tmp_path / "ASK_candles_min_1.bi5"
    path.write_bytes(encode_candles([(0, 2_034_550, 2_034_600, 2_034_500, 2_034_700, 3.0)]))
    report = import_file(path, "XAUUSD", digits=3, day=date(2024, 3, 5))
    assert report.first == DAY
    series = load_bars("XAUUSD", "M1")
    assert series.price_side == "ask" and series.rates["close"].tolist() == [2034.6]


def test_reimporting_a_file_changes_nothing(tmp_path):
    path = write_datafeed_file(
        tmp_path,
        datafeed_path("EURUSD", 2024, 3, 5, "BID_candles_min_1.bi5"),
        encode_candles([(0, 110420, 110450, 110400, 110480, 1.0), (60, 110450, 110460, 110440, 110470, 1.0)]),
    )
    first = import_file(path, "EURUSD")
    content = first.store_path.read_bytes()
    again = import_file(path, "EURUSD")
    assert (again.bars_added, again.bars_replaced, again.bars_total) == (0, 0, 2)
    assert first.store_path.read_bytes() == content


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tick_rows())
def test_reimporting_tick_files_is_idempotent(tmp_path, rows):
    path = write_datafeed_file(tmp_path, datafeed_path("EURUSD", 2024, 3, 5, "07h_ticks.bi5"), encode_ticks(rows))
    with fresh_mas_home():
        import_file(path, "EURUSD")
        ticks, bars = load_ticks("EURUSD").copy(), load_bars("EURUSD", "M1").rates.copy()
        again = import_file(path, "EURUSD")
        assert again.tick_update.days_written == 0 and again.bars_added == again.bars_replaced == 0
        np.testing.assert_array_equal(load_ticks("EURUSD"), ticks)
        np.testing.assert_array_equal(load_bars("EURUSD", "M1").rates, bars)


def test_bad_files_are_errors_naming_the_file(tmp_path):
    corrupt = write_datafeed_file(tmp_path, datafeed_path("EURUSD", 2024, 3, 5, "00h_ticks.bi5"), b"not lzma")
    with pytest.raises(Bi5Error, match=r"00h_ticks\.bi5: not a Dukascopy \.bi5 file"):
        read_file(corrupt, "EURUSD")
    truncated = write_datafeed_file(
        tmp_path, datafeed_path("EURUSD", 2024, 3, 5, "01h_ticks.bi5"), lzma.compress(b"x" * 21, lzma.FORMAT_ALONE)
    )
    with pytest.raises(Bi5Error, match="21 bytes .* 20-byte records"):
        read_file(truncated, "EURUSD")
    loose = tmp_path / "BID_candles_min_1.bi5"
    loose.write_bytes(b"")
    with pytest.raises(ValueError, match=r"cannot tell the file's date.*--date"):
        read_file(loose, "EURUSD")
    odd = tmp_path / "2024" / "00" / "05" / "candles.bi5"
    odd.parent.mkdir(parents=True)
    odd.write_bytes(b"")
    with pytest.raises(ValueError, match="not a Dukascopy file name"):
        read_file(odd, "EURUSD")


def test_empty_file_means_no_data():
    assert candles_from_bi5(b"", DAY_START, 5, "x").rates.size == 0
    assert ticks_from_bi5(b"", DAY_START, 5, "x").ticks.size == 0
