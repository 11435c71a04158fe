"""Stored ticks read as columns (:func:`mas.data.tick_store.load_tick_columns`): the same ticks as the rows read
before (every column, every bit, a range cut inside days), files of the earlier format and files lacking columns
read the same (new files are LZ4 with required columns; zstd files of the earlier writer read the same), and a
damaged day file is reported with its path and the repair, before any tick is replayed, also when read ahead.

The ticks are synthesized from M1 bars drawn inside the real EURUSD H1 2017 sample, with volumes, last prices and
trade flags added so that every column carries values."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mas.data.store import load_bars
from mas.data.tick_columns import TickColumns
from mas.data.tick_model import synthesize_ticks_from_m1
from mas.data.tick_store import load_tick_columns, load_ticks, save_ticks, stored_tick_days, tick_day_path
from mas.data.validation import CorruptDataError
from mas.sim.market import prepare_rates
from mas.sim.symbols import resolve_spec
from mas.terminal import constants as c
from mas.terminal.types import TICKS_DTYPE
from sim.test_quiet_bars import m1_inside


def sample_ticks(h1_bars: int = 130) -> np.ndarray:
    """About five days of ticks inside the sample's first H1 bars, every column with values."""
    rates, _ = prepare_rates(load_bars("EURUSD", "H1"), resolve_spec("EURUSD", {}), None)
    ticks = synthesize_ticks_from_m1(m1_inside(rates[:h1_bars]), 5)
    rng = np.random.default_rng(11)
    ticks["volume"] = rng.integers(0, 4, ticks.size)
    ticks["volume_real"] = ticks["volume"] * 0.25
    ticks["last"] = np.where(rng.random(ticks.size) < 0.2, ticks["bid"], 0.0)
    ticks["flags"] |= np.where(ticks["volume"] > 0, c.TICK_FLAG_VOLUME, 0).astype(np.uint32)
    return ticks


def rows_read_from_files(symbol: str) -> np.ndarray:
    """The reference: every day file read whole with pyarrow and copied row by row into ``TICKS_DTYPE``."""
    parts = []
    for day in stored_tick_days(symbol):
        table = pq.read_table(tick_day_path(symbol, day))
        rows = np.zeros(table.num_rows, dtype=TICKS_DTYPE)
        rows["time_msc"] = table.column("time_msc").cast(pa.int64()).to_numpy()
        rows["time"] = rows["time_msc"] // 1000
        for name in ("bid", "ask", "last", "volume", "flags", "volume_real"):
            if name in table.column_names:
                rows[name] = table.column(name).to_numpy()
        parts.append(rows)
    return np.concatenate(parts)


def test_columns_are_the_stored_ticks_bit_for_bit_over_days_and_cut_inside_them():
    ticks = sample_ticks()
    save_ticks("EURUSD", ticks)
    assert len(stored_tick_days("EURUSD")) >= 5
    columns = load_tick_columns("EURUSD")
    assert columns.to_ticks().tobytes() == ticks.tobytes() == rows_read_from_files("EURUSD").tobytes()
    assert load_ticks("EURUSD").tobytes() == ticks.tobytes()
    start, end = datetime(2017, 1, 3, 7, 15, 2, 500_300), datetime(2017, 1, 5, 16, 0, 0, 1000)
    inside = ticks[(ticks["time_msc"] >= _ms(start, up=True)) & (ticks["time_msc"] <= _ms(end, up=False))]
    cut = load_tick_columns("EURUSD", start, end)
    assert 0 < len(cut) < len(ticks) and cut.to_ticks().tobytes() == inside.tobytes()
    # rows of any span, across the days the columns were read in
    for lo, hi in [(0, 1), (100, 40_000), (len(cut) - 3, len(cut) + 10)]:
        assert cut.rows(lo, hi).tobytes() == inside[lo:hi].tobytes()
    np.testing.assert_array_equal(cut.times_msc(np.array([0, 5, len(cut) - 1])), inside["time_msc"][[0, 5, -1]])
    np.testing.assert_array_equal(cut.column("volume"), inside["volume"])
    assert not cut.is_zero("volume") and cut.is_zero("volume") == (not inside["volume"].any())


def _ms(moment: datetime, *, up: bool) -> int:
    """Epoch milliseconds of a naive UTC time; a partial millisecond rounded up (``up``) or down."""
    delta = moment - datetime(1970, 1, 1)
    whole, micro = divmod(delta.microseconds, 1000)
    return delta.days * 86_400_000 + delta.seconds * 1000 + whole + (1 if up and micro else 0)


def test_zero_columns_are_not_kept_and_read_as_zeros_with_every_bit():
    ticks = sample_ticks(30)
    ticks["volume"] = 0
    ticks["volume_real"] = 0.0
    ticks["last"] = 0.0
    ticks["last"][7] = -0.0  # not zero in every bit: kept, and read back as -0.0
    save_ticks("EURUSD", ticks)
    columns = load_tick_columns("EURUSD")
    assert all("volume" not in piece and "volume_real" not in piece for piece in columns.pieces)
    assert columns.is_zero("volume") and columns.has("last")
    assert columns.to_ticks().tobytes() == ticks.tobytes()
    assert np.signbit(columns.column("last")[7])


def test_files_of_the_earlier_format_and_files_without_some_columns_read_the_same():
    ticks = sample_ticks(30)
    day = date(2017, 1, 2)
    first = ticks[ticks["time_msc"] < 1_483_401_600_000]  # 2017-01-03 00:00 UTC
    rest = ticks[first.size:]
    save_ticks("EURUSD", rest)
    path = tick_day_path("EURUSD", day)
    # the earlier writer: dictionary-then-plain times (no delta encoding), and only the price columns
    table = pa.table({"time_msc": pa.array(first["time_msc"]).cast(pa.timestamp("ms", tz="UTC")),
                      "bid": first["bid"], "ask": first["ask"]})
    pq.write_table(table, path, compression="zstd", write_page_checksum=True)
    expected = np.concatenate([first, rest])
    for name in ("last", "volume", "volume_real", "flags"):
        expected[name][:first.size] = 0
    assert load_tick_columns("EURUSD").to_ticks().tobytes() == expected.tobytes()
    assert load_ticks("EURUSD").tobytes() == expected.tobytes()


def test_new_files_write_times_as_deltas_with_page_checksums():
    save_ticks("EURUSD", sample_ticks(20))
    path = tick_day_path("EURUSD", stored_tick_days("EURUSD")[0])
    chunk = pq.read_metadata(path).row_group(0).column(0)
    assert chunk.path_in_schema == "time_msc" and "DELTA_BINARY_PACKED" in chunk.encodings
    assert pq.read_table(path).column("time_msc").type == pa.timestamp("ms", tz="UTC")  # real times for other tools


def test_new_files_are_lz4_with_required_columns_and_files_of_the_zstd_format_read_the_same():
    ticks = sample_ticks(130)
    save_ticks("EURUSD", ticks)
    days = stored_tick_days("EURUSD")
    assert len(days) >= 4  # more files than the readers read at once
    for day in days:
        metadata = pq.read_metadata(tick_day_path("EURUSD", day))
        chunks = [metadata.row_group(0).column(k) for k in range(metadata.num_columns)]
        assert {chunk.compression for chunk in chunks} == {"LZ4"}
        assert not any(field.nullable for field in pq.read_schema(tick_day_path("EURUSD", day)))
    # the earlier writer (zstd, nullable columns) on every other day: the same ticks, bit for bit
    for day in days[::2]:
        path = tick_day_path("EURUSD", day)
        table = pq.read_table(path)
        nullable = pa.schema([field.with_nullable(True) for field in table.schema], metadata=table.schema.metadata)
        pq.write_table(table.cast(nullable), path, compression="zstd", write_page_checksum=True)
        assert pq.read_metadata(path).row_group(0).column(1).compression == "ZSTD"
    assert load_tick_columns("EURUSD").to_ticks().tobytes() == ticks.tobytes()
    cut = load_tick_columns("EURUSD", datetime(2017, 1, 3, 7, 30), datetime(2017, 1, 5, 16, 0, 0, 500))
    inside = (ticks["time_msc"] >= 1_483_428_600_000) & (ticks["time_msc"] <= 1_483_632_000_000)
    assert cut.to_ticks().tobytes() == ticks[inside].tobytes()


def test_a_damaged_file_read_ahead_is_reported_and_of_several_the_first_is_named():
    save_ticks("EURUSD", sample_ticks(130))
    days = stored_tick_days("EURUSD")
    path = tick_day_path("EURUSD", days[-1])  # read by a reader ahead of the copying, after the others
    _flip_in_the_middle(path)
    with pytest.raises(CorruptDataError) as caught:
        load_tick_columns("EURUSD")
    assert str(caught.value).startswith(f"{path}: the file is damaged")
    assert "mas data remove EURUSD --ticks" in str(caught.value)
    first = tick_day_path("EURUSD", days[0])
    _flip_in_the_middle(first)  # the first of several damaged files is the one reported
    with pytest.raises(CorruptDataError, match="mas data remove EURUSD --ticks") as caught:
        load_tick_columns("EURUSD")
    assert str(caught.value).startswith(f"{first}: the file is damaged")


def test_an_ask_replaced_shares_the_other_columns():
    save_ticks("EURUSD", sample_ticks(30))
    columns = load_tick_columns("EURUSD")
    ask = np.round(columns.bid + 0.0002, 5)
    changed = columns.with_ask(ask)
    expected = columns.to_ticks()
    expected["ask"] = ask
    assert changed.to_ticks().tobytes() == expected.tobytes()
    assert changed.bid is columns.bid and changed.time_msc is columns.time_msc


def test_columns_of_a_ticks_array_are_views_and_its_rows_are_its_rows():
    ticks = sample_ticks(10)
    columns = TickColumns.of_ticks(ticks)
    assert np.shares_memory(columns.bid, ticks) and columns.rows(5, 9).base is not None
    assert columns.rows(5, 9).tobytes() == ticks[5:9].tobytes() and len(columns) == ticks.size


def _flip_in_the_middle(path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 3  # inside the first column's pages, away from the footer
    data[middle:middle + 16] = bytes(b ^ 0xFF for b in data[middle:middle + 16])
    path.write_bytes(bytes(data))


def test_a_damaged_day_file_names_the_file_and_the_repair_before_any_tick_is_replayed():
    import mas

    save_ticks("EURUSD", sample_ticks(60))
    path = tick_day_path("EURUSD", stored_tick_days("EURUSD")[1])
    _flip_in_the_middle(path)
    with pytest.raises(CorruptDataError) as caught:
        load_tick_columns("EURUSD")
    message = str(caught.value)
    assert message.startswith(f"{path}: the file is damaged") and "mas data remove EURUSD --ticks" in message
    with pytest.raises(CorruptDataError, match="mas data remove EURUSD --ticks"):
        load_ticks("EURUSD")

    class Counts(mas):
        seen = 0

        def receive_ticks(self, symbol, data, is_end):
            Counts.seen += 1

    with pytest.raises(CorruptDataError):
        Counts().subscribe_ticks({"symbol": "EURUSD", "from": "2017-01-02", "to": "2017-01-09",
                                  "backtest_toggle": True, "model": "real_ticks"})
    assert Counts.seen == 0
    path.write_bytes(path.read_bytes()[:-20])  # a cut footer
    with pytest.raises(CorruptDataError, match="the file is damaged"):
        load_tick_columns("EURUSD")


def test_a_day_file_grown_after_its_footer_was_read_is_read_whole(monkeypatch):
    import mas.data.tick_store as tick_store

    ticks = sample_ticks(60)
    save_ticks("EURUSD", ticks)
    monkeypatch.setattr(tick_store, "tick_file_rows", lambda path: 1)  # as if each file held one tick when counted
    assert load_tick_columns("EURUSD").to_ticks().tobytes() == ticks.tobytes()
