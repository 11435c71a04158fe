"""The store: loading ranges, precedence over the bundled sample, resampling, caching, atomic writes."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from mas.data import atomic
from mas.data.rates_file import read_rates_file
from mas.data.resample import resample_rates
from mas.data.sample import sample_dir
from mas.data.store import (
    BUNDLED_SOURCE,
    MissingDataError,
    canonical_symbol,
    data_root,
    dataset_path,
    list_datasets,
    load_bars,
    mas_home,
    merge_rates,
    save_bars,
)
from mas.terminal.types import RATES_DTYPE

SAMPLE_H1 = read_rates_file(sample_dir() / "EURUSD_H1.parquet").rates


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def epoch(*args: int) -> int:
    return int(utc(*args).timestamp())


def bars(times: list[int], price: float = 1.1, spread: int = 10) -> np.ndarray:
    rates = np.zeros(len(times), dtype=RATES_DTYPE)
    rates["time"] = times
    rates["open"] = rates["close"] = price
    rates["high"] = price + 0.001
    rates["low"] = price - 0.001
    rates["tick_volume"] = 5
    rates["spread"] = spread
    return rates


def test_mas_home_is_read_at_call_time(monkeypatch, tmp_path):
    monkeypatch.setenv("MAS_HOME", str(tmp_path / "a"))
    assert data_root() == tmp_path / "a" / "data"
    monkeypatch.setenv("MAS_HOME", str(tmp_path / "b"))
    assert mas_home() == tmp_path / "b"
    monkeypatch.delenv("MAS_HOME")
    assert mas_home() == mas_home().home() / ".mas"


def test_load_bundled_sample_whole_and_by_inclusive_range():
    whole = load_bars("eurusd", "h1")
    assert (whole.symbol, whole.timeframe, whole.source) == ("EURUSD", "H1", BUNDLED_SOURCE)
    assert (whole.price_side, whole.has_spread) == ("ask", False)
    np.testing.assert_array_equal(whole.rates, SAMPLE_H1)

    march = load_bars("EURUSD", "H1", datetime(2017, 3, 6, 0), datetime(2017, 3, 6, 5))
    assert march.rates["time"].tolist() == [epoch(2017, 3, 6, hour) for hour in range(6)]


def test_aware_datetimes_are_converted_to_utc():
    tokyo = timezone(timedelta(hours=9))
    series = load_bars(
        "EURUSD", "H1", datetime(2017, 3, 6, 9, tzinfo=tokyo), datetime(2017, 3, 6, 10, tzinfo=tokyo)
    )
    assert series.rates["time"].tolist() == [epoch(2017, 3, 6, 0), epoch(2017, 3, 6, 1)]


def test_resamples_on_demand_from_the_closest_lower_timeframe():
    h2 = load_bars("EURUSD", "H2")
    assert h2.source == f"{BUNDLED_SOURCE} (resampled from H1)"
    np.testing.assert_array_equal(h2.rates, resample_rates(SAMPLE_H1, "H2"))

    weekly = load_bars("EURUSD", "W1")
    assert weekly.source == f"{BUNDLED_SOURCE} (resampled from D1)"
    np.testing.assert_array_equal(weekly.rates, resample_rates(SAMPLE_H1, "W1"))
    weekdays = {datetime.fromtimestamp(int(t), tz=timezone.utc).weekday() for t in weekly.rates["time"]}
    assert weekdays == {0}


def test_repeated_loads_come_from_the_cache_and_are_read_only():
    first = load_bars("EURUSD", "H2")
    second = load_bars("EURUSD", "H2")
    assert np.shares_memory(first.rates, second.rates)
    with pytest.raises(ValueError):
        first.rates["close"][0] = 0.0


def test_user_data_overrides_the_bundled_sample():
    times = [epoch(2017, 3, 6, hour) for hour in range(3)]
    save_bars("eurusd", "H1", bars(times, price=2.0), price_side="bid", has_spread=True)

    series = load_bars("EURUSD", "H1", utc(2017, 3, 6), utc(2017, 3, 6, 23))
    assert series.source == str(data_root() / "EURUSD" / "H1.parquet")
    assert (series.price_side, series.has_spread) == ("bid", True)
    assert series.rates["time"].tolist() == times
    assert np.all(series.rates["close"] == 2.0)

    # Where the user's file has no bars, the bundled sample still answers.
    assert load_bars("EURUSD", "H1", utc(2017, 5, 1), utc(2017, 5, 1, 5)).source == BUNDLED_SOURCE


def test_user_m1_is_resampled_before_the_bundled_h1_is_used():
    minutes = [epoch(2017, 3, 6) + 60 * i for i in range(180)]
    save_bars("EURUSD", "M1", bars(minutes), price_side="bid", has_spread=True)
    series = load_bars("EURUSD", "H1", utc(2017, 3, 6), utc(2017, 3, 6, 2))
    assert series.source.endswith("M1.parquet (resampled from M1)")
    assert series.rates["time"].tolist() == [epoch(2017, 3, 6, hour) for hour in range(3)]
    assert series.rates["tick_volume"].tolist() == [300, 300, 300]


def test_cache_sees_a_rewritten_file():
    save_bars("GBPUSD", "H1", bars([epoch(2020, 1, 6, 0)]), price_side="bid", has_spread=True)
    assert len(load_bars("GBPUSD", "H1")) == 1
    save_bars("GBPUSD", "H1", bars([epoch(2020, 1, 6, 1)]), price_side="bid", has_spread=True)
    assert len(load_bars("GBPUSD", "H1")) == 2
    assert len(load_bars("GBPUSD", "H4")) == 1


def test_symbol_folders_match_case_insensitively():
    save_bars("xauusd", "H1", bars([epoch(2020, 1, 6)], price=1500.0), price_side="bid", has_spread=True)
    assert (data_root() / "XAUUSD" / "H1.parquet").is_file()
    assert load_bars("XauUsd", "h1").symbol == "XAUUSD"


def test_save_bars_is_idempotent_and_later_rows_win():
    times = [epoch(2020, 1, 6, hour) for hour in range(4)]
    first = save_bars("USDJPY", "H1", bars(times, price=110.0), price_side="bid", has_spread=True)
    assert (first.added, first.replaced, first.total, first.written) == (4, 0, 4, True)
    mtime = first.path.stat().st_mtime_ns

    again = save_bars("USDJPY", "H1", bars(times, price=110.0), price_side="bid", has_spread=True)
    assert (again.added, again.replaced, again.total, again.written) == (0, 0, 4, False)
    assert first.path.stat().st_mtime_ns == mtime

    newer = save_bars(
        "USDJPY", "H1", bars(times[2:] + [epoch(2020, 1, 6, 4)], 111.0), price_side="bid", has_spread=True
    )
    assert (newer.added, newer.replaced, newer.total, newer.written) == (1, 2, 5, True)
    assert load_bars("USDJPY", "H1").rates["close"].tolist() == [110.0, 110.0, 111.0, 111.0, 111.0]


def test_merge_keeps_the_later_row_on_equal_times():
    old = bars([1, 2, 3], price=1.0)
    new = bars([3, 2, 2, 0], price=2.0)
    new["tick_volume"] = [1, 2, 3, 4]
    merged = merge_rates(old, new)
    assert merged["time"].tolist() == [0, 1, 2, 3]
    assert merged["close"].tolist() == [2.0, 1.0, 2.0, 2.0]
    assert merged["tick_volume"].tolist() == [4, 5, 3, 1]


def test_save_bars_refuses_to_mix_price_sides_and_bad_prices():
    save_bars("EURUSD", "M5", bars([epoch(2020, 1, 6)]), price_side="bid", has_spread=True)
    with pytest.raises(ValueError, match="holds bid prices"):
        save_bars("EURUSD", "M5", bars([epoch(2020, 1, 7)]), price_side="ask", has_spread=False)
    broken = bars([epoch(2020, 1, 8)])
    broken["high"] = 0.5
    with pytest.raises(ValueError, match=r"refusing to store EURUSD M5 bars: 1 bar\(s\) break low <= open"):
        save_bars("EURUSD", "M5", broken, price_side="bid", has_spread=True)


def test_has_spread_survives_only_if_every_import_has_spreads():
    save_bars("EURUSD", "M5", bars([epoch(2020, 1, 6)]), price_side="bid", has_spread=True)
    save_bars("EURUSD", "M5", bars([epoch(2020, 1, 7)]), price_side="bid", has_spread=False)
    assert load_bars("EURUSD", "M5").has_spread is False


def test_failed_write_leaves_the_old_file_intact(monkeypatch):
    times = [epoch(2020, 1, 6, hour) for hour in range(3)]
    update = save_bars("EURUSD", "H1", bars(times), price_side="bid", has_spread=True)
    before = update.path.read_bytes()

    def crash_midway(table, where, **kwargs):
        where.write(b"PAR1 half a file")
        raise OSError("disk full")

    monkeypatch.setattr(atomic.pq, "write_table", crash_midway)
    with pytest.raises(OSError, match="disk full"):
        save_bars("EURUSD", "H1", bars([epoch(2020, 1, 7)]), price_side="bid", has_spread=True)

    assert update.path.read_bytes() == before
    assert sorted(p.name for p in update.path.parent.iterdir()) == [".H1.parquet.lock", "H1.parquet"]
    assert load_bars("EURUSD", "H1").rates["time"].tolist() == times


def test_list_datasets_shows_user_and_bundled_files():
    save_bars(
        "EURUSD",
        "M1",
        bars([epoch(2020, 1, 6, 0, 0), epoch(2020, 1, 6, 0, 1)]),
        price_side="bid",
        has_spread=True,
    )
    infos = list_datasets()
    assert [(i.symbol, i.timeframe, i.source) for i in infos] == [
        ("EURUSD", "M1", "user"),
        ("EURUSD", "H1", "bundled"),
        ("EURUSD", "H4", "bundled"),
        ("EURUSD", "D1", "bundled"),
    ]
    user, h1 = infos[0], infos[1]
    assert (user.bars, user.first, user.last, user.price_side, user.has_spread) == (
        2,
        utc(2020, 1, 6),
        utc(2020, 1, 6, 0, 1),
        "bid",
        True,
    )
    assert (h1.bars, h1.first, h1.last, h1.price_side) == (
        6225,
        utc(2017, 1, 1, 22),
        utc(2017, 12, 29, 21),
        "ask",
    )
    assert list_datasets("GBPUSD") == []


def test_missing_timeframe_error_names_request_stored_data_and_remedy():
    with pytest.raises(MissingDataError) as caught:
        load_bars("eurusd", "M5", datetime(2017, 3, 1), datetime(2017, 3, 2))
    error = caught.value
    message = str(error)
    assert (error.symbol, error.timeframe, error.start, error.end) == (
        "EURUSD",
        "M5",
        datetime(2017, 3, 1),
        datetime(2017, 3, 2),
    )
    assert "No EURUSD M5 bars between 2017-03-01 00:00 and 2017-03-02 00:00 UTC" in message
    assert "H1   2017-01-01 22:00 .. 2017-12-29 21:00 UTC, 6225 bars (bundled sample)" in message
    assert "resampled from M1" in message
    assert "mas data import FILE --symbol EURUSD --timeframe M5" in message
    assert isinstance(error, LookupError)


def test_range_outside_the_data_is_an_error_not_an_empty_series():
    with pytest.raises(
        MissingDataError, match="No EURUSD H1 bars between 2019-01-01 00:00 and 2019-02-01 00:00"
    ):
        load_bars("EURUSD", "H1", datetime(2019, 1, 1), datetime(2019, 2, 1))
    with pytest.raises(MissingDataError, match="Nothing is stored for XAUUSD"):
        load_bars("XAUUSD", "D1")


def test_missing_data_error_survives_pickling():
    with pytest.raises(MissingDataError) as caught:
        load_bars("XAUUSD", "D1", end=datetime(2020, 1, 1))
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value) and copy.end == datetime(2020, 1, 1)


def test_bad_arguments_raise_value_errors():
    with pytest.raises(ValueError, match="after end"):
        load_bars("EURUSD", "H1", datetime(2017, 2, 1), datetime(2017, 1, 1))
    with pytest.raises(ValueError, match="timeframe"):
        load_bars("EURUSD", "H5")
    for name in ["", "../etc", "EUR/USD", ".hidden"]:
        with pytest.raises(ValueError, match="symbol"):
            canonical_symbol(name)
    assert dataset_path(" eurusd.m ", "m15") == data_root() / "EURUSD.M" / "M15.parquet"


def test_timeframe_may_be_an_mt5_constant():
    from mas.terminal import constants

    series = load_bars("EURUSD", constants.TIMEFRAME_H4, datetime(2017, 3, 6), datetime(2017, 3, 6, 23))
    assert series.timeframe == "H4" and len(series) == 6
