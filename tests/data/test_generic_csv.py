"""Generic delimited files through a column mapping: names or positions, time formats, bars or ticks."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mas.data.importers import ColumnMapping, ImportFormatError, import_file, read_generic_csv
from mas.data.sample import read_candles_csv
from mas.data.store import load_bars
from mas.data.tick_store import load_ticks

from .conftest import SAMPLE_CSV, fresh_mas_home

OHLC = "time=Date,open=Open,high=High,low=Low,close=Close"


def epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


def write(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return path


def test_named_columns_with_a_time_format(tmp_path):
    path = write(
        tmp_path / "bars.csv",
        [
            '"Date","Open","High","Low","Close","Volume","Spread"',
            '"02.01.2024 13:00","1.1","1.2","1.0","1.15","42","7"',
        ],
    )
    mapping = ColumnMapping.parse(OHLC + ",volume=Volume,spread=spread")
    parsed = read_generic_csv(path, mapping, timeframe="H1", time_format="%d.%m.%Y %H:%M", tz_offset_hours=2)
    assert parsed.rates["time"].tolist() == [epoch(2024, 1, 2, 11)]
    assert parsed.rates[["open", "high", "low", "close"]].tolist() == [(1.1, 1.2, 1.0, 1.15)]
    assert (parsed.rates["tick_volume"][0], parsed.rates["spread"][0], parsed.has_spread) == (42, 7, True)


def test_positional_columns_with_and_without_header(tmp_path):
    mapping = ColumnMapping.parse("time=1,open=2,high=3,low=4,close=5")
    rows = ["2024-01-02 00:00:00;1.1;1.2;1.0;1.1", "2024-01-02 00:01:00;1.1;1.3;1.0;1.2"]
    bare = read_generic_csv(write(tmp_path / "bare.csv", rows), mapping, timeframe="M1")
    headed = read_generic_csv(write(tmp_path / "headed.csv", ["t;o;h;l;c", *rows]), mapping, timeframe="M1")
    np.testing.assert_array_equal(bare.rates, headed.rates)
    assert bare.rates["time"].tolist() == [epoch(2024, 1, 2), epoch(2024, 1, 2, 0, 1)]
    assert bare.has_spread is False


def test_split_date_and_time_columns_and_unix_stamps(tmp_path):
    split = write(tmp_path / "split.csv", ["Day,Clock,O,H,L,C", "2024-01-02,13:45,1.1,1.2,1.0,1.1"])
    mapping = ColumnMapping.parse("date=Day,time=Clock,open=O,high=H,low=L,close=C")
    assert read_generic_csv(split, mapping, timeframe="M15").rates["time"].tolist() == [epoch(2024, 1, 2, 13, 45)]
    unix = write(tmp_path / "unix.csv", ["ts|o|h|l|c", f"{epoch(2024, 1, 2) * 1000}|1|2|0.5|1.5"])
    mapping = ColumnMapping.parse("time=ts,open=o,high=h,low=l,close=c")
    parsed = read_generic_csv(unix, mapping, timeframe="D1", time_format="unix_ms")
    assert parsed.rates["time"].tolist() == [epoch(2024, 1, 2)]


def test_tick_files_fill_the_tick_store(tmp_path):
    path = write(
        tmp_path / "ticks.csv",
        ["time,bid,ask", "2024-01-02 10:00:00.250,1.1,1.1002", "2024-01-02 10:00:01,1.1001,1.1003"],
    )
    report = import_file(path, "EURUSD", columns="time=time,bid=bid,ask=ask")
    assert (report.file_format, report.timeframe, report.rows_stored) == ("csv", "TICKS", 2)
    ticks = load_ticks("EURUSD")
    assert ticks["time_msc"].tolist() == [epoch(2024, 1, 2, 10) * 1000 + 250, epoch(2024, 1, 2, 10, 0, 1) * 1000]
    assert load_bars("EURUSD", "M1").rates["spread"].tolist() == [20]


def test_the_bundled_samples_source_imports_to_the_bundled_sample():
    report = import_file(
        SAMPLE_CSV,
        "EURUSD",
        "H1",
        columns="time=Time,open=Open,high=High,low=Low,close=Close,volume=Volume",
        time_format="%d.%m.%Y %H:%M:%S.%f",
        price_side="ask",
    )
    assert report.issues == [] and report.rows_stored == 6225
    series = load_bars("EURUSD", "H1")
    assert series.source.endswith("H1.parquet") and series.price_side == "ask"
    np.testing.assert_array_equal(series.rates, read_candles_csv(SAMPLE_CSV))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("time=A,open=B,high=C,low=D", "map time, open, high, low and close"),
        ("open=B,high=C,low=D,close=E", "the time field is required"),
        ("time=A,open=B,high=C,low=D,close=E,bid=F", "map time, open, high, low and close"),
        ("time=A,open=B,high=C,low=D,close=E,colour=F", "unknown field(s) colour"),
        ("time=A,open", "'open' is not field=column"),
        ("time=A,time=B", "field 'time' is given twice"),
    ],
)
def test_bad_mappings_say_what_is_wrong(text, problem):
    with pytest.raises(ValueError) as caught:
        ColumnMapping.parse(text)
    assert problem in str(caught.value)


def test_bad_files_name_the_line(tmp_path):
    mapping = ColumnMapping.parse(OHLC)
    path = write(tmp_path / "a.csv", ["Date,Open,High,Low,Close", "2024-01-02,1,2,0.5,1", "2024-13-02,1,2,0.5,1"])
    with pytest.raises(ImportFormatError, match=r"a\.csv:3: bad date/time '2024-13-02'"):
        read_generic_csv(path, mapping, timeframe="D1")
    with pytest.raises(
        ImportFormatError, match=r"a\.csv:3: bad date/time '2024-13-02', expected the format '%Y-%m-%d'"
    ):
        read_generic_csv(path, mapping, timeframe="D1", time_format="%Y-%m-%d")
    with pytest.raises(ImportFormatError, match=r":1: column\(s\) 'Close' not in the header"):
        read_generic_csv(write(tmp_path / "b.csv", ["Date,Open,High,Low", "x"]), mapping, timeframe="D1")
    with pytest.raises(ValueError, match="a timeframe is required"):
        read_generic_csv(path, mapping)
    with pytest.raises(ImportFormatError, match=r":2: volume: '-3' is out of range"):
        read_generic_csv(
            write(tmp_path / "c.csv", ["Date,Open,High,Low,Close,V", "2024-01-02,1,2,0.5,1,-3"]),
            ColumnMapping.parse(OHLC + ",volume=V"),
            timeframe="D1",
        )


PRICES = st.decimals(min_value="20", max_value="199.99999", places=5, allow_nan=False, allow_infinity=False)


@st.composite
def csv_bars(draw) -> list[tuple[int, list[str]]]:
    rows = []
    for _ in range(draw(st.integers(1, 30))):
        low, a, b, high = sorted(draw(st.lists(PRICES, min_size=4, max_size=4)))
        minute = draw(st.integers(0, 10_000_000))
        rows.append(
            (epoch(2000, 1, 3) + 60 * minute, [str(a), str(high), str(low), str(b), str(draw(st.integers(0, 10**6)))])
        )
    return rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=csv_bars(),
    time_format=st.sampled_from([None, "%d/%m/%Y %H:%M", "unix"]),
    sep=st.sampled_from([",", ";", "\t"]),
)
def test_generic_parser_round_trips_and_reimport_is_idempotent(tmp_path, rows, time_format, sep):
    def stamp(t: int) -> str:
        if time_format == "unix":
            return str(t)
        moment = datetime.fromtimestamp(t, tz=timezone.utc)
        return moment.strftime(time_format or "%Y-%m-%d %H:%M:%S")

    path = write(
        tmp_path / "p.csv", [sep.join(["T", "O", "H", "L", "C", "V"])] + [sep.join([stamp(t), *f]) for t, f in rows]
    )
    columns = "time=T,open=O,high=H,low=L,close=C,volume=V"
    parsed = read_generic_csv(path, ColumnMapping.parse(columns), timeframe="M1", time_format=time_format)
    expected = dict(rows)
    assert parsed.rates["time"].tolist() == sorted(expected)
    for bar in parsed.rates:
        fields = expected[int(bar["time"])]
        assert [bar["open"], bar["high"], bar["low"], bar["close"]] == [float(x) for x in fields[:4]]
        assert bar["tick_volume"] == int(fields[4])
    with fresh_mas_home():
        import_file(path, "EURUSD", "M1", columns=columns, time_format=time_format)
        again = import_file(path, "EURUSD", "M1", columns=columns, time_format=time_format)
        assert (again.bars_added, again.bars_replaced) == (0, 0)
        np.testing.assert_array_equal(load_bars("EURUSD", "M1").rates, parsed.rates)
