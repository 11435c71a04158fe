"""MT5 history-export import: parsing, validation with line numbers, the quality report, merging."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.data.importers import ImportFormatError, import_file, read_mt5_csv
from mas.data.store import load_bars

from .conftest import MT5_HEADER, fresh_mas_home, write_mt5_export

GOOD_ROWS = [
    "2024.01.02\t00:00:00\t1.10420\t1.10480\t1.10400\t1.10450\t120\t0\t7",
    "2024.01.02\t00:01:00\t1.10450\t1.10460\t1.10410\t1.10430\t95\t0\t6",
    "2024.01.02\t00:02:00\t1.10430\t1.10500\t1.10430\t1.10490\t143\t0\t8",
]


def epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


def issue_lines(parsed) -> dict[str, tuple[int, ...]]:
    return {issue.kind: issue.lines for issue in parsed.issues}


def test_intraday_export_is_parsed_exactly(tmp_path):
    parsed = read_mt5_csv(write_mt5_export(tmp_path / "EURUSD_M1.csv", GOOD_ROWS), "M1")
    rates = parsed.rates
    assert parsed.rows_read == 3 and parsed.issues == []
    assert rates["time"].tolist() == [epoch(2024, 1, 2, 0, minute) for minute in range(3)]
    assert rates["open"].tolist() == [1.1042, 1.1045, 1.1043]
    assert rates["high"].tolist() == [1.1048, 1.1046, 1.105]
    assert rates["tick_volume"].tolist() == [120, 95, 143]
    assert rates["spread"].tolist() == [7, 6, 8]


def test_daily_export_without_time_column(tmp_path):
    header = "<DATE>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>"
    rows = ["2024.01.02\t1.1\t1.2\t1.0\t1.15\t5000\t0\t5", "2024.01.03\t1.15\t1.16\t1.1\t1.12\t4000\t0\t6"]
    parsed = read_mt5_csv(write_mt5_export(tmp_path / "d1.csv", rows, header), "D1")
    assert parsed.rates["time"].tolist() == [epoch(2024, 1, 2), epoch(2024, 1, 3)]
    assert parsed.issues == []


def test_server_time_offset_is_subtracted(tmp_path):
    parsed = read_mt5_csv(write_mt5_export(tmp_path / "m1.csv", GOOD_ROWS[:1]), "M1", tz_offset_hours=2)
    assert parsed.rates["time"].tolist() == [epoch(2024, 1, 1, 22)]


def test_utf16_export_with_crlf_lines(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("\r\n".join([MT5_HEADER, *GOOD_ROWS]).encode("utf-16"))
    assert read_mt5_csv(path, "M1").rates.size == 3


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ("2024.01.02\t00:03:00\t1.1\t1.2\t1.0\t1.1\t5\t0", "expected 9 fields"),
        ("2024.01.02\t00:03:00\t1.1\tabc\t1.0\t1.1\t5\t0\t5", "high: 'abc' is not a number"),
        ("2024.01.02\t00:03:00\t1.1\tnan\t1.0\t1.1\t5\t0\t5", "high: 'nan' is out of range"),
        ("2024.01.32\t00:03:00\t1.1\t1.2\t1.0\t1.1\t5\t0\t5", "bad date/time '2024.01.32 00:03:00'"),
        ("02.01.2024\t00:03:00\t1.1\t1.2\t1.0\t1.1\t5\t0\t5", "expected YYYY.MM.DD HH:MM:SS"),
        ("2024.01.02\t00:03:00\t1.1\t1.2\t1.0\t1.1\t-5\t0\t5", "tick_volume: '-5' is out of range"),
        ("2024.01.02\t00:03:00\t1.1\t1.2\t1.0\t1.1\t5\t0\t2.5", "spread: '2.5' is not a whole number"),
    ],
)
def test_malformed_rows_name_file_and_line(tmp_path, row, problem):
    path = write_mt5_export(tmp_path / "bad.csv", [*GOOD_ROWS, "", row])
    with pytest.raises(ImportFormatError) as caught:
        read_mt5_csv(path, "M1")
    assert caught.value.line == 6
    assert str(caught.value).startswith(f"{path}:6: ")
    assert problem in str(caught.value)


def test_foreign_header_and_empty_files_are_rejected(tmp_path):
    with pytest.raises(ImportFormatError, match=r":1: not an MT5 history export"):
        read_mt5_csv(write_mt5_export(tmp_path / "x.csv", GOOD_ROWS, "Date,Open,High,Low,Close"), "M1")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ImportFormatError, match="empty"):
        read_mt5_csv(tmp_path / "empty.csv", "M1")
    with pytest.raises(ImportFormatError, match="no bars"):
        read_mt5_csv(write_mt5_export(tmp_path / "header_only.csv", []), "M1")


def test_quality_report_and_what_is_stored(tmp_path):
    rows = [
        "2024.01.02\t00:00:00\t1.1\t1.2\t1.0\t1.1\t1\t0\t5",  # line 2
        "2024.01.02\t00:02:00\t1.1\t1.2\t1.0\t1.1\t2\t0\t5",  # line 3
        "2024.01.02\t00:01:00\t1.1\t1.2\t1.0\t1.1\t3\t0\t5",  # line 4: out of order
        "2024.01.02\t00:02:00\t1.1\t1.2\t1.0\t1.15\t4\t0\t5",  # line 5: duplicate, wins
        "2024.01.02\t00:03:00\t1.1\t1.0\t1.2\t1.1\t5\t0\t5",  # line 6: inverted
        "2024.01.02\t00:04:00\t0\t1.2\t1.0\t1.1\t6\t0\t5",  # line 7: zero price, open outside
        "2024.01.02\t00:05:00\t1.3\t1.2\t1.0\t1.1\t7\t0\t5",  # line 8: open above high
        "2024.01.02\t00:06:30\t1.1\t1.2\t1.0\t1.1\t8\t0\t5",  # line 9: not on the M1 grid
    ]
    parsed = read_mt5_csv(write_mt5_export(tmp_path / "q.csv", rows), "M1")
    assert parsed.rows_read == 8
    assert issue_lines(parsed) == {
        "duplicate_time": (5,),
        "out_of_order": (4,),
        "inverted": (6,),
        "non_positive_price": (7,),
        "open_close_outside": (6, 7, 8),
        "off_grid": (9,),
    }
    assert {issue.kind for issue in parsed.issues if not issue.stored} == {
        "inverted",
        "non_positive_price",
        "open_close_outside",
    }
    rates = parsed.rates
    assert rates["time"].tolist() == [epoch(2024, 1, 2, 0, m) for m in (0, 1, 2)] + [
        epoch(2024, 1, 2, 0, 6) + 30
    ]
    assert rates["tick_volume"].tolist() == [1, 3, 4, 8]
    assert rates["close"][2] == 1.15


def test_import_file_stores_bid_bars_with_spreads_and_reimport_is_idempotent(tmp_path):
    path = write_mt5_export(tmp_path / "EURUSD_M1.csv", GOOD_ROWS)
    report = import_file(path, "eurusd", "m1")
    assert (report.symbol, report.timeframe, report.rows_read, report.rows_stored) == ("EURUSD", "M1", 3, 3)
    assert (report.first, report.last) == (
        datetime(2024, 1, 2, 0, 0, tzinfo=timezone.utc),
        datetime(2024, 1, 2, 0, 2, tzinfo=timezone.utc),
    )
    assert (report.bars_added, report.bars_replaced, report.bars_total) == (3, 0, 3)
    stored_bytes = report.store_path.read_bytes()

    series = load_bars("EURUSD", "M1")
    assert (series.price_side, series.has_spread, len(series)) == ("bid", True, 3)

    again = import_file(path, "EURUSD", "M1")
    assert (again.bars_added, again.bars_replaced, again.bars_total) == (0, 0, 3)
    assert report.store_path.read_bytes() == stored_bytes


def test_later_import_wins_on_equal_times(tmp_path):
    import_file(write_mt5_export(tmp_path / "a.csv", GOOD_ROWS), "EURUSD", "M1")
    corrected = [GOOD_ROWS[1].replace("1.10430\t95", "1.10440\t99")]
    report = import_file(write_mt5_export(tmp_path / "b.csv", corrected), "EURUSD", "M1")
    assert (report.bars_added, report.bars_replaced, report.bars_total) == (0, 1, 3)
    rates = load_bars("EURUSD", "M1").rates
    assert rates["close"].tolist() == [1.1045, 1.1044, 1.1049]
    assert rates["tick_volume"].tolist() == [120, 99, 143]


PRICES = st.decimals(
    min_value="15.00000", max_value="149.99999", places=5, allow_nan=False, allow_infinity=False
)


@st.composite
def export_rows(draw) -> list[tuple[int, list[str]]]:
    """Valid bars as (UTC epoch, OHLC strings + volumes) in random order, possibly repeating times."""
    count = draw(st.integers(1, 60))
    minutes = draw(st.lists(st.integers(0, 5_000_000), min_size=count, max_size=count))
    rows = []
    for minute in minutes:
        a, b, c, d = sorted(draw(st.lists(PRICES, min_size=4, max_size=4)))
        open_, close = draw(st.permutations([b, c]))
        volumes = [str(draw(st.integers(0, 10**12))), "0", str(draw(st.integers(0, 10**4)))]
        rows.append((epoch(2000, 1, 1) + 60 * minute, [f"{open_}", f"{d}", f"{a}", f"{close}", *volumes]))
    return rows


def _format_row(stamp: int, fields: list[str], offset_seconds: int) -> str:
    moment = datetime.fromtimestamp(stamp + offset_seconds, tz=timezone.utc)
    return "\t".join([moment.strftime("%Y.%m.%d"), moment.strftime("%H:%M:%S"), *fields])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=export_rows(), offset=st.sampled_from([0, 2, 3, -5, 5.5]))
def test_parser_roundtrips_any_valid_export(tmp_path, rows, offset):
    offset_seconds = round(offset * 3600)
    path = write_mt5_export(tmp_path / "prop.csv", [_format_row(t, f, offset_seconds) for t, f in rows])
    parsed = read_mt5_csv(path, "M1", tz_offset_hours=offset)

    expected = {}
    for stamp, fields in rows:  # the later row wins on equal times
        expected[stamp] = fields
    assert parsed.rows_read == len(rows)
    assert parsed.rates["time"].tolist() == sorted(expected)
    for bar in parsed.rates:
        fields = expected[int(bar["time"])]
        assert [bar["open"], bar["high"], bar["low"], bar["close"]] == [float(x) for x in fields[:4]]
        assert [bar["tick_volume"], bar["real_volume"], bar["spread"]] == [int(x) for x in fields[4:]]
    kinds = {issue.kind: issue.count for issue in parsed.issues}
    assert kinds.get("duplicate_time", 0) == len(rows) - len(expected)
    assert set(kinds) <= {"duplicate_time", "out_of_order"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=export_rows(), split=st.integers(0, 60))
def test_importing_in_parts_or_twice_gives_the_same_store(tmp_path, rows, split):
    lines = [_format_row(t, f, 0) for t, f in rows]
    whole = write_mt5_export(tmp_path / "whole.csv", lines)
    head = write_mt5_export(tmp_path / "head.csv", lines[:split])
    tail = write_mt5_export(tmp_path / "tail.csv", lines[split:])
    with fresh_mas_home():
        import_file(whole, "EURUSD", "M1")
        once = load_bars("EURUSD", "M1").rates.copy()
        report = import_file(whole, "EURUSD", "M1")
        assert (report.bars_added, report.bars_replaced) == (0, 0)
        np.testing.assert_array_equal(load_bars("EURUSD", "M1").rates, once)
    with fresh_mas_home():
        for part in (head, tail):
            if part.read_text().count("\n") > 1:
                import_file(part, "EURUSD", "M1")
        np.testing.assert_array_equal(load_bars("EURUSD", "M1").rates, once)
