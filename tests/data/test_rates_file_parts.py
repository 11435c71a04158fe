"""A bar file read a row group at a time: the same array and the same errors as the whole file at once.

``read_rates_file`` checks each row group on its decoded columns (``candles_pass``) and describes a failure with
``candle_problem`` on the whole array; these tests hold it to the whole-file answers, over several row groups."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mas.data import rates_file
from mas.data.rates_file import read_rates_file, read_rates_times, write_rates_file
from mas.data.sample import sample_dir
from mas.data.validation import CorruptDataError, candle_problem, candles_pass
from mas.terminal.types import RATES_DTYPE

SAMPLE_H1 = read_rates_file(sample_dir() / "EURUSD_H1.parquet").rates


def regroup(path: Path, rows: int) -> None:
    """Write ``path`` again (same columns, types and metadata, with checksums) in row groups of ``rows`` rows."""
    pq.write_table(pq.read_table(path), path, compression="zstd", write_page_checksum=True, row_group_size=rows)


def stored(tmp_path: Path, rates: np.ndarray, rows: int) -> Path:
    path = tmp_path / "H1.parquet"
    write_rates_file(path, rates, price_side="ask", has_spread=False, symbol="EURUSD", timeframe="H1")
    regroup(path, rows)
    return path


def test_a_file_of_several_row_groups_reads_as_one(tmp_path):
    path = stored(tmp_path, SAMPLE_H1, 1000)
    assert pq.ParquetFile(path).metadata.num_row_groups == -(-SAMPLE_H1.size // 1000)
    content = read_rates_file(path)
    assert content.rates.dtype == RATES_DTYPE and np.array_equal(content.rates, SAMPLE_H1)
    assert (content.price_side, content.has_spread) == ("ask", False)
    assert np.array_equal(read_rates_times(path), SAMPLE_H1["time"])


def test_a_row_group_larger_than_group_rows_is_read_a_column_at_a_time(tmp_path, monkeypatch):
    path = stored(tmp_path, SAMPLE_H1, 2000)
    monkeypatch.setattr(rates_file, "GROUP_ROWS", 1500)  # every row group but the last is read column by column
    assert np.array_equal(read_rates_file(path).rates, SAMPLE_H1)
    broken = SAMPLE_H1.copy()
    broken["high"][4500] *= 1000
    path = stored(tmp_path, broken, 2000)
    with pytest.raises(CorruptDataError) as caught:
        read_rates_file(path)
    assert caught.value.problem == candle_problem(broken)


@pytest.mark.parametrize("row", [0, 999, 1000, 1001, 5000, SAMPLE_H1.size - 1])
@pytest.mark.parametrize("fault", ["implausible", "not_later", "not_finite", "not_ordered"])
def test_a_bad_bar_in_any_row_group_is_reported_as_for_the_whole_file(tmp_path, row, fault):
    broken = SAMPLE_H1.copy()
    if fault == "implausible":
        broken["close"][row] /= 100
        broken["low"][row] = broken["close"][row]
    elif fault == "not_later":
        broken["time"][row] = broken["time"][row - 1] if row else broken["time"][1]
    elif fault == "not_finite":
        broken["high"][row] = np.inf
    else:
        broken["open"][row] = broken["high"][row] * 1.01
    path = stored(tmp_path, broken, 1000)
    with pytest.raises(CorruptDataError) as caught:
        read_rates_file(path)
    expected = candle_problem(broken)
    assert expected is not None and caught.value.problem == expected
    first = datetime.fromtimestamp(int(broken["time"][row]), tz=timezone.utc).strftime("%Y-%m-%d %H:%M")
    if fault != "not_later" or row:
        assert f"first at {first}" in str(caught.value)
    assert np.array_equal(read_rates_file(path, checked=False).rates, broken)  # read as it is when not checked


def test_missing_values_count_the_whole_file(tmp_path):
    path = stored(tmp_path, SAMPLE_H1[:3000], 1000)
    table = pq.read_table(path)
    close = table.column("close").to_numpy().astype(object)
    close[[10, 1500, 2500]] = None
    table = table.set_column(table.schema.get_field_index("close"), "close", pa.array(close, type=pa.float64()))
    pq.write_table(table, path, write_page_checksum=True, row_group_size=1000)
    with pytest.raises(CorruptDataError, match=r"column close has 3 missing value\(s\)"):
        read_rates_file(path)


def test_a_file_without_the_optional_columns_reads_them_as_zero(tmp_path):
    path = stored(tmp_path, SAMPLE_H1[:2500], 1000)
    pq.write_table(pq.read_table(path).drop_columns(["spread", "real_volume"]), path, write_page_checksum=True,
                   row_group_size=1000)
    rates = read_rates_file(path).rates
    assert not rates["spread"].any() and not rates["real_volume"].any()
    assert np.array_equal(rates["close"], SAMPLE_H1["close"][:2500])


def test_an_empty_file_reads_as_no_bars(tmp_path):
    path = stored(tmp_path, SAMPLE_H1[:0], 1000)
    assert read_rates_file(path).rates.size == 0


def test_times_of_other_units_and_of_whole_and_broken_seconds(tmp_path):
    rates = SAMPLE_H1[:50]
    path = stored(tmp_path, rates, 1000)
    table = pq.read_table(path)
    at = table.schema.get_field_index("time")
    for unit, scale, offset in (("s", 1, 0), ("ms", 1000, 0), ("us", 10**6, 0), ("ns", 10**9, 0), ("ms", 1000, 999)):
        ticks = pa.array(rates["time"] * scale + offset, type=pa.int64()).cast(pa.timestamp(unit, tz="UTC"))
        pq.write_table(table.set_column(at, "time", ticks), path, write_page_checksum=True,
                       coerce_timestamps=None if unit != "s" else "ms")
        # a time that is not a whole second is truncated toward zero, as arrow's cast does
        assert np.array_equal(read_rates_times(path), rates["time"]), (unit, offset)


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.tuples(st.integers(-3, 3), st.sampled_from([1.1, 1.2, 0.9, 20.0, 0.05, 0.0, -1.0, np.nan,
                                                                        np.inf]),
                              st.sampled_from([1.0, 1.02, 0.98, 1.5])), min_size=1, max_size=40),
    cut=st.integers(0, 40),
)
def test_the_checks_of_two_parts_agree_with_the_check_of_the_whole(values, cut):
    rates = np.zeros(len(values), dtype=RATES_DTYPE)
    rates["time"] = 1_600_000_000 + 3600 * np.cumsum([step for step, _, _ in values])
    rates["close"] = [price for _, price, _ in values]
    rates["open"] = np.concatenate(([rates["close"][0]], rates["close"][:-1]))
    rates["high"] = np.maximum(rates["open"], rates["close"]) * [wide for _, _, wide in values]
    rates["low"] = np.minimum(rates["open"], rates["close"]) / [wide for _, _, wide in values]
    cut %= rates.size + 1
    head, tail = rates[:cut], rates[cut:]
    columns = [tuple(part[name] for name in ("time", "open", "high", "low", "close")) for part in (head, tail)]
    passed = candles_pass(*columns[0])
    if head.size:
        passed = passed and candles_pass(*columns[1], int(head["time"][-1]), float(head["close"][-1]))
    else:
        passed = candles_pass(*columns[1])
    assert passed == (candle_problem(rates) is None)


def test_prices_stored_as_float32_are_checked_as_the_array_holds_them(tmp_path):
    path = stored(tmp_path, SAMPLE_H1[:3000], 1000)
    table = pq.read_table(path)
    for name in ("open", "high", "low", "close"):
        table = table.set_column(table.schema.get_field_index(name), name, table.column(name).cast(pa.float32()))
    pq.write_table(table, path, write_page_checksum=True, row_group_size=1000)
    rates = read_rates_file(path).rates
    assert rates["close"].dtype == np.float64
    assert np.array_equal(rates["close"], SAMPLE_H1["close"][:3000].astype(np.float32).astype(np.float64))
