"""HistData.com ASCII files: M1 bars and ticks, EST (UTC-5, no daylight saving) converted to UTC."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.data.importers import ImportFormatError, import_file, read_histdata_m1, read_histdata_ticks
from mas.data.store import load_bars
from mas.data.tick_store import load_ticks

from .conftest import fresh_mas_home

EST = timezone(timedelta(hours=-5))
M1_ROWS = [
    "20240102 170000;1.104200;1.104800;1.104000;1.104500;0",
    "20240102 170100;1.104500;1.104600;1.104100;1.104300;12",
]
TICK_ROWS = ["20240702 235959876,1.104200,1.104250,0", "20240703 000000001,1.104210,1.104260,3"]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def write(path, rows):
    path.write_text("\n".join(rows) + "\n")
    return path


def test_m1_file_is_parsed_and_shifted_from_est_to_utc(tmp_path):
    parsed = read_histdata_m1(write(tmp_path / "DAT_ASCII_EURUSD_M1_2024.csv", M1_ROWS))
    rates = parsed.rates
    assert parsed.issues == [] and (parsed.timeframe, parsed.price_side, parsed.has_spread) == ("M1", "bid", False)
    assert rates["time"].tolist() == [int(utc(2024, 1, 2, 22, m).timestamp()) for m in (0, 1)]
    assert rates[["open", "high", "low", "close"]].tolist() == [
        (1.1042, 1.1048, 1.104, 1.1045),
        (1.1045, 1.1046, 1.1041, 1.1043),
    ]
    assert rates["tick_volume"].tolist() == [0, 12]


def test_est_has_no_daylight_saving_even_in_july(tmp_path):
    parsed = read_histdata_ticks(write(tmp_path / "ticks.csv", TICK_ROWS))
    ticks = parsed.ticks
    # 2024-07-02 23:59:59.876 EST is 2024-07-03 04:59:59.876 UTC (New York itself would be UTC-4).
    assert ticks["time_msc"].tolist() == [
        int(utc(2024, 7, 3, 4, 59, 59).timestamp()) * 1000 + 876,
        int(utc(2024, 7, 3, 5).timestamp()) * 1000 + 1,
    ]
    assert ticks["bid"].tolist() == [1.1042, 1.10421] and ticks["ask"].tolist() == [1.10425, 1.10426]
    assert ticks["volume"].tolist() == [0, 3]


def test_explicit_offset_overrides_est(tmp_path):
    parsed = read_histdata_m1(write(tmp_path / "m1.csv", M1_ROWS[:1]), tz_offset_hours=0)
    assert parsed.rates["time"].tolist() == [int(utc(2024, 1, 2, 17).timestamp())]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2024010 170200;1.1;1.2;1.0;1.1;0", "bad date/time '2024010 170200', expected YYYYMMDD HHMMSS"),
        ("20240132 170200;1.1;1.2;1.0;1.1;0", "bad date/time '20240132 170200'"),
        ("20240102 170200;1.1;1.2;1.0;1.1", "expected 6 fields separated by ';', found 5"),
        ("20240102 170200;1.1;x;1.0;1.1;0", "high: 'x' is not a number"),
        ("20240102 170200;1.1;1.2;1.0;1.1;-1", "volume: '-1' is out of range"),
    ],
)
def test_malformed_m1_rows_name_file_and_line(tmp_path, row, problem):
    path = write(tmp_path / "bad.csv", [*M1_ROWS, "", row])
    with pytest.raises(ImportFormatError) as caught:
        read_histdata_m1(path)
    assert caught.value.line == 4 and str(caught.value).startswith(f"{path}:4: ")
    assert problem in str(caught.value)


def test_malformed_tick_row_names_its_line(tmp_path):
    with pytest.raises(ImportFormatError, match=r":2: bad date/time '20240703 00000000'"):
        read_histdata_ticks(write(tmp_path / "t.csv", [TICK_ROWS[0], "20240703 00000000,1.1,1.2,0"]))


def test_quality_issues_carry_line_numbers(tmp_path):
    rows = [M1_ROWS[1], M1_ROWS[0], M1_ROWS[0], "20240102 170300;1.1;1.0;1.2;1.1;0"]
    parsed = read_histdata_m1(write(tmp_path / "q.csv", rows))
    assert {issue.kind: issue.lines for issue in parsed.issues} == {
        "duplicate_time": (3,),
        "out_of_order": (2,),
        "inverted": (4,),
        "open_close_outside": (4,),
    }
    assert parsed.rates.size == 2


def test_import_auto_detects_histdata_and_stores_utc(tmp_path):
    report = import_file(write(tmp_path / "DAT_ASCII_EURUSD_M1_2024.csv", M1_ROWS), "EURUSD")
    assert (report.file_format, report.timeframe, report.rows_stored) == ("histdata", "M1", 2)
    assert report.first == utc(2024, 1, 2, 22)
    assert len(load_bars("EURUSD", "M1")) == 2
    with pytest.raises(ValueError, match="holds M1 bars, not H1"):
        import_file(tmp_path / "DAT_ASCII_EURUSD_M1_2024.csv", "EURUSD", "H1")

    ticks = import_file(write(tmp_path / "DAT_ASCII_GBPUSD_T_202407.csv", TICK_ROWS), "GBPUSD")
    assert (ticks.file_format, ticks.timeframe, ticks.rows_stored) == ("histdata", "TICKS", 2)
    assert load_ticks("GBPUSD").size == 2 and len(load_bars("GBPUSD", "M1")) == 2


PRICES = st.decimals(min_value="20", max_value="199.99999", places=5, allow_nan=False, allow_infinity=False)
EPOCHS = st.integers(int(utc(2001, 1, 1).timestamp()), int(utc(2035, 1, 1).timestamp()))


@st.composite
def m1_rows(draw) -> list[tuple[int, list[str]]]:
    rows = []
    for _ in range(draw(st.integers(1, 40))):
        low, a, b, high = sorted(draw(st.lists(PRICES, min_size=4, max_size=4)))
        rows.append((draw(EPOCHS) // 60 * 60, [str(a), str(high), str(low), str(b), str(draw(st.integers(0, 10**6)))]))
    return rows


def est_stamp(epoch_ms: int, with_ms: bool) -> str:
    moment = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=epoch_ms)
    text = moment.astimezone(EST).strftime("%Y%m%d %H%M%S")
    return text + f"{epoch_ms % 1000:03d}" if with_ms else text


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=m1_rows())
def test_m1_parser_round_trips(tmp_path, rows):
    path = write(tmp_path / "m1.csv", [";".join([est_stamp(t * 1000, False), *fields]) for t, fields in rows])
    parsed = read_histdata_m1(path)
    expected = dict(rows)  # the later row wins on equal times
    assert parsed.rates["time"].tolist() == sorted(expected)
    for bar in parsed.rates:
        fields = expected[int(bar["time"])]
        assert [bar["open"], bar["high"], bar["low"], bar["close"]] == [float(x) for x in fields[:4]]
        assert bar["tick_volume"] == int(fields[4])


@st.composite
def histdata_ticks(draw) -> list[tuple[int, str, str, int]]:
    stamps = sorted(draw(st.lists(st.integers(0, 10**11), min_size=1, max_size=40)))
    start = draw(EPOCHS) * 1000
    rows = []
    for stamp in stamps:
        bid = draw(PRICES)
        ask = bid + draw(st.decimals(min_value="0", max_value="0.01", places=5))
        rows.append((start + stamp, str(bid), str(ask), draw(st.integers(0, 1000))))
    return rows


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=histdata_ticks())
def test_tick_parser_round_trips_and_reimport_is_idempotent(tmp_path, rows):
    lines = [",".join([est_stamp(t, True), bid, ask, str(v)]) for t, bid, ask, v in rows]
    path = write(tmp_path / "ticks.csv", lines)
    ticks = read_histdata_ticks(path).ticks
    assert ticks["time_msc"].tolist() == [row[0] for row in rows]
    assert ticks["bid"].tolist() == [float(row[1]) for row in rows]
    assert ticks["ask"].tolist() == [float(row[2]) for row in rows]
    with fresh_mas_home():
        import_file(path, "EURUSD")
        stored = load_ticks("EURUSD").copy()
        np.testing.assert_array_equal(stored, ticks)
        again = import_file(path, "EURUSD")
        assert again.tick_update.days_written == 0
        np.testing.assert_array_equal(load_ticks("EURUSD"), stored)
