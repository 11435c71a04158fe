"""MT5 ticks exports: unchanged prices left empty are carried forward; server time to UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.data.importers import ImportFormatError, import_file, read_mt5_ticks_csv
from mas.data.tick_store import load_ticks

from .conftest import fresh_mas_home, write_mt5_export

TICKS_HEADER = "<DATE>\t<TIME>\t<BID>\t<ASK>\t<LAST>\t<VOLUME>\t<FLAGS>"


def ms(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp()) * 1000


def test_empty_cells_carry_the_previous_price_and_flags_are_kept(tmp_path):
    rows = [
        "2024.01.02\t00:00:00.123\t1.10420\t1.10425\t\t\t6",
        "2024.01.02\t00:00:00.456\t\t1.10426\t\t\t4",
        "2024.01.02\t00:00:01.000\t1.10421\t\t\t\t2",
    ]
    parsed = read_mt5_ticks_csv(write_mt5_export(tmp_path / "t.csv", rows, TICKS_HEADER), tz_offset_hours=2)
    ticks = parsed.ticks
    assert parsed.issues == []
    assert ticks["time_msc"].tolist() == [ms(2024, 1, 1, 22) + 123, ms(2024, 1, 1, 22) + 456, ms(2024, 1, 1, 22, 0, 1)]
    assert ticks["bid"].tolist() == [1.1042, 1.1042, 1.10421]
    assert ticks["ask"].tolist() == [1.10425, 1.10426, 1.10426]
    assert ticks["flags"].tolist() == [6, 4, 2]


def test_ticks_before_the_first_bid_and_ask_are_reported_and_dropped(tmp_path):
    rows = ["2024.01.02\t00:00:00.100\t\t1.10425\t\t\t4", "2024.01.02\t00:00:00.200\t1.10420\t\t\t\t2"]
    parsed = read_mt5_ticks_csv(write_mt5_export(tmp_path / "t.csv", rows, TICKS_HEADER))
    assert [(i.kind, i.lines, i.stored) for i in parsed.issues] == [("no_price_yet", (2,), False)]
    assert parsed.ticks[["bid", "ask"]].tolist() == [(1.1042, 1.10425)]


def test_bad_tick_rows_name_the_line(tmp_path):
    rows = ["2024.01.02\t00:00:00.100\t1.1\t1.2\t\t\t6", "2024.01.02\t00:00:00.200\tx\t1.2\t\t\t6"]
    with pytest.raises(ImportFormatError, match=r":3: bid: 'x' is not a number"):
        read_mt5_ticks_csv(write_mt5_export(tmp_path / "t.csv", rows, TICKS_HEADER))


@st.composite
def tick_rows(draw) -> list[tuple[int, str, str]]:
    start = ms(2020, 1, 1) + draw(st.integers(0, 10**11))
    stamps = sorted(draw(st.lists(st.integers(0, 10**9), min_size=1, max_size=40)))
    rows = []
    for stamp in stamps:
        bid = draw(st.decimals(min_value="20", max_value="199.99999", places=5))
        ask = bid + draw(st.decimals(min_value="0", max_value="0.01", places=5))
        rows.append((start + stamp, str(bid), str(ask)))
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=tick_rows(), offset=st.sampled_from([0, 2, 3]))
def test_tick_export_round_trips_and_reimport_is_idempotent(tmp_path, rows, offset):
    lines = []
    previous = (None, None)
    for stamp, bid, ask in rows:
        moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=stamp + offset * 3_600_000)
        cells = [bid if bid != previous[0] else "", ask if ask != previous[1] else ""]
        lines.append("\t".join([moment.strftime("%Y.%m.%d"), moment.strftime("%H:%M:%S.%f")[:-3], *cells, "", "", "6"]))
        previous = (bid, ask)
    path = write_mt5_export(tmp_path / "p.csv", lines, TICKS_HEADER)
    ticks = read_mt5_ticks_csv(path, offset).ticks
    assert ticks["time_msc"].tolist() == [row[0] for row in rows]
    assert ticks["bid"].tolist() == [float(row[1]) for row in rows]
    assert ticks["ask"].tolist() == [float(row[2]) for row in rows]
    with fresh_mas_home():
        report = import_file(path, "EURUSD", tz_offset_hours=offset)
        assert (report.file_format, report.timeframe) == ("mt5", "TICKS")
        stored = load_ticks("EURUSD").copy()
        assert import_file(path, "EURUSD", tz_offset_hours=offset).tick_update.days_written == 0
        np.testing.assert_array_equal(load_ticks("EURUSD"), stored)
