"""The tick store: one file per UTC day, span merges, idempotence, atomic writes, missing-tick errors."""

from __future__ import annotations

import pickle
from datetime import date, datetime, timezone

import numpy as np
import pytest

from mas.data import atomic
from mas.data.store import MissingDataError, data_root
from mas.data.tick_store import (
    MissingTicksError,
    list_tick_datasets,
    load_ticks,
    save_ticks,
    stored_tick_days,
    tick_day_path,
)
from mas.data.ticks import make_ticks
from mas.terminal.constants import TICK_FLAG_ASK, TICK_FLAG_BID
from mas.terminal.types import TICKS_DTYPE


def ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp()) * 1000


def ticks_at(stamps: list[int], bid: float = 1.1) -> np.ndarray:
    bids = np.full(len(stamps), bid) + np.arange(len(stamps)) * 1e-5
    return make_ticks(np.array(stamps), bids, bids + 2e-5)


def test_ticks_are_split_by_utc_day_and_loaded_by_inclusive_range():
    stamps = [ms(2024, 1, 2, 23, 59, 59) + 999, ms(2024, 1, 3), ms(2024, 1, 3, 12), ms(2024, 1, 5, 1)]
    update = save_ticks("eurusd", ticks_at(stamps))
    assert (update.days, update.days_written, update.added, update.replaced, update.total) == (3, 3, 4, 0, 4)
    assert stored_tick_days("EURUSD") == [date(2024, 1, 2), date(2024, 1, 3), date(2024, 1, 5)]
    assert tick_day_path("EURUSD", date(2024, 1, 3)) == data_root() / "EURUSD" / "ticks" / "2024-01-03.parquet"

    assert load_ticks("EURUSD")["time_msc"].tolist() == stamps
    middle = load_ticks("EURUSD", datetime(2024, 1, 3), datetime(2024, 1, 3, 12))
    assert middle["time_msc"].tolist() == stamps[1:3]
    assert middle["time"].tolist() == [s // 1000 for s in stamps[1:3]]


def test_stored_ticks_keep_every_column():
    ticks = ticks_at([ms(2024, 1, 2, 10), ms(2024, 1, 2, 10)])
    ticks["volume"] = [3, 4]
    ticks["volume_real"] = [0.5, 1.25]
    ticks["last"] = [0.0, 1.5]
    save_ticks("EURUSD", ticks)
    np.testing.assert_array_equal(load_ticks("EURUSD"), ticks)
    assert ticks["flags"].tolist() == [TICK_FLAG_BID | TICK_FLAG_ASK] * 2


def test_saving_again_rewrites_nothing_and_new_ticks_replace_their_span():
    stamps = [ms(2024, 1, 2, 10, m) for m in range(6)]
    save_ticks("EURUSD", ticks_at(stamps))
    path = tick_day_path("EURUSD", date(2024, 1, 2))
    before = path.stat().st_mtime_ns

    same = save_ticks("EURUSD", ticks_at(stamps))
    assert (same.days_written, same.added, same.replaced, same.total) == (0, 0, 0, 6)
    assert path.stat().st_mtime_ns == before

    corrected = ticks_at([ms(2024, 1, 2, 10, 2), ms(2024, 1, 2, 10, 2, 30), ms(2024, 1, 2, 10, 3)], bid=1.2)
    update = save_ticks("EURUSD", corrected)
    assert (update.added, update.replaced, update.total) == (3, 2, 7)
    stored = load_ticks("EURUSD")
    assert stored["time_msc"].tolist() == stamps[:2] + corrected["time_msc"].tolist() + stamps[4:]
    assert stored["bid"][2:5].tolist() == corrected["bid"].tolist()


def test_a_failed_write_leaves_the_old_day_file(monkeypatch):
    save_ticks("EURUSD", ticks_at([ms(2024, 1, 2, 10)]))
    path = tick_day_path("EURUSD", date(2024, 1, 2))
    before = path.read_bytes()

    def crash(table, where, **kwargs):
        where.write(b"PAR1 half")
        raise OSError("disk full")

    monkeypatch.setattr(atomic.pq, "write_table", crash)
    with pytest.raises(OSError, match="disk full"):
        save_ticks("EURUSD", ticks_at([ms(2024, 1, 2, 11)]))
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [f".{path.name}.lock", path.name]


def test_missing_ticks_error_names_symbol_range_and_commands():
    with pytest.raises(MissingTicksError) as caught:
        load_ticks("gbpusd", datetime(2024, 1, 2), datetime(2024, 1, 3, 12))
    message = str(caught.value)
    assert "No GBPUSD ticks between 2024-01-02 00:00 and 2024-01-03 12:00 UTC." in message
    assert "mas data download GBPUSD --source dukascopy --from 2024-01-02 --to 2024-01-03 --ticks" in message
    assert "mas data import FILE --symbol GBPUSD" in message
    assert isinstance(caught.value, MissingDataError) and caught.value.timeframe == "TICKS"
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == message

    save_ticks("GBPUSD", ticks_at([ms(2024, 1, 8, 9)]))
    with pytest.raises(MissingTicksError, match=r"stored for 1 day\(s\) from 2024-01-08 to 2024-01-08"):
        load_ticks("GBPUSD", datetime(2024, 1, 2), datetime(2024, 1, 3))
    with pytest.raises(ValueError, match="after end"):
        load_ticks("GBPUSD", datetime(2024, 1, 3), datetime(2024, 1, 2))


def test_list_tick_datasets_counts_days_ticks_and_missing_weekdays():
    # Tuesday, Wednesday and the next Monday: Thursday and Friday are missing, the weekend is not.
    stamps = [ms(2024, 1, 2, 10), ms(2024, 1, 2, 11), ms(2024, 1, 3, 9), ms(2024, 1, 8, 1)]
    save_ticks("EURUSD", ticks_at(stamps))
    [info] = list_tick_datasets()
    assert (info.symbol, info.days, info.ticks, info.missing_weekdays) == ("EURUSD", 3, 4, 2)
    assert info.first == datetime(2024, 1, 2, 10, tzinfo=timezone.utc)
    assert info.last == datetime(2024, 1, 8, 1, tzinfo=timezone.utc)
    assert list_tick_datasets("USDJPY") == []


def test_bars_are_built_on_demand_from_stored_ticks_before_the_bundled_sample():
    from mas.data.store import load_bars

    ticks = np.zeros(4, dtype=TICKS_DTYPE)
    start = int(datetime(2017, 3, 6, 10, 0, tzinfo=timezone.utc).timestamp()) * 1000
    ticks["time_msc"] = [start, start + 20_000, start + 70_000, start + 3_600_000]
    ticks["time"] = ticks["time_msc"] // 1000
    ticks["bid"] = [1.1, 1.102, 1.099, 1.105]
    ticks["ask"] = ticks["bid"] + 0.0001
    save_ticks("EURUSD", ticks)
    m1 = load_bars("EURUSD", "M1", datetime(2017, 3, 6), datetime(2017, 3, 6, 23, 59))
    assert m1.source.startswith("ticks") and len(m1) == 3 and m1.rates["high"][0] == 1.102
    # H1 for a range the ticks cover comes from them, not from the bundled 2017 sample
    h1 = load_bars("EURUSD", "H1", datetime(2017, 3, 6, 10), datetime(2017, 3, 6, 11))
    assert h1.source.startswith("ticks") and h1.rates["close"].tolist() == [1.099, 1.105]
    # where no ticks are stored, the bundled sample still answers
    assert load_bars("EURUSD", "H1", datetime(2017, 5, 1), datetime(2017, 5, 2)).source == "bundled sample"
