"""Faults of the store: concurrent writers, killed writers, damaged and impossible files, off-grid
imports, removing data, and filling the store from a terminal."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from mas.cli.data import app
from mas.data.downloaders.terminal import TerminalDownloadError, load_bars_with_terminal, missing_spans
from mas.data.locking import clean_folder, locked
from mas.data.quality import guess_timeframe
from mas.data.rates_file import read_rates_file, write_rates_file
from mas.data.sample import sample_dir
from mas.data.store import BUNDLED_SOURCE, MissingDataError, dataset_path, list_datasets, load_bars, save_bars
from mas.data.tick_store import save_ticks, stored_tick_days
from mas.data.validation import IMPLAUSIBLE_FACTOR, CorruptDataError, candle_problem
from mas.terminal.types import RATES_DTYPE, TICKS_DTYPE

from .conftest import MT5_HEADER

runner = CliRunner()
SAMPLE_H1 = read_rates_file(sample_dir() / "EURUSD_H1.parquet").rates
posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")


def mt5_m1_export(path: Path, first_minute: int, rows: int) -> Path:
    """An MT5 M1 export of ``rows`` consecutive minutes from 2020-01-01 00:00 + ``first_minute``."""
    stamps = np.datetime_as_string(
        np.datetime64("2020-01-01T00:00") + np.arange(first_minute, first_minute + rows).astype("timedelta64[m]")
    )
    prices = np.round(1.1 + 0.001 * np.sin(np.arange(first_minute, first_minute + rows) / 50), 5)
    lines = [
        f"{stamp[:10].replace('-', '.')}\t{stamp[11:16]}:00\t{p:.5f}\t{p + 0.0002:.5f}\t{p - 0.0002:.5f}\t{p:.5f}"
        "\t10\t0\t5"
        for stamp, p in zip(stamps, prices, strict=True)
    ]
    path.write_text("\n".join([MT5_HEADER, *lines]) + "\n")
    return path


def run_mas(args: list[str], home: Path, **kwargs) -> subprocess.Popen:
    """``mas ARGS`` in a separate process with ``MAS_HOME=home``."""
    env = dict(os.environ, MAS_HOME=str(home))
    return subprocess.Popen([sys.executable, "-m", "mas", *args], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


# --- concurrent and killed writers -------------------------------------------------------------

@posix_only
def test_two_concurrent_imports_of_one_symbol_keep_every_row(tmp_path):
    rows = 60_000
    first = mt5_m1_export(tmp_path / "first.csv", 0, rows)
    second = mt5_m1_export(tmp_path / "second.csv", rows, rows)
    for trial in range(4):
        home = tmp_path / f"home{trial}"
        imports = [run_mas(["data", "import", str(path), "--symbol", "EURUSD", "--timeframe", "M1"], home)
                   for path in (first, second)]
        outputs = [process.communicate(timeout=300) for process in imports]
        assert [process.returncode for process in imports] == [0, 0], outputs
        stored = read_rates_file(home / "data" / "EURUSD" / "M1.parquet").rates
        assert stored.size == 2 * rows, f"trial {trial}: {stored.size} of {2 * rows} rows stored"
        expected = np.datetime64("2020-01-01T00:00", "s").astype(np.int64) + 60 * np.arange(2 * rows)
        assert np.array_equal(stored["time"], expected)
        assert not list((home / "data" / "EURUSD").glob("*.tmp"))


KILLED_WRITER = textwrap.dedent("""
    import os, signal
    from mas.data import atomic
    from mas.data.rates_file import read_rates_file
    from mas.data.sample import sample_dir
    from mas.data.store import save_bars

    def killed_midway(table, where, **kwargs):
        where.write(b"PAR1 half a file")
        where.flush()
        os.kill(os.getpid(), signal.SIGKILL)

    atomic.pq.write_table = killed_midway
    rates = read_rates_file(sample_dir() / "EURUSD_H1.parquet").rates
    save_bars("EURUSD", "H1", rates[100:200], price_side="ask", has_spread=False)
""")


def kill_a_writer(mas_home: Path) -> Path:
    """Store 100 bars, then have a process killed while it writes the next 100: returns the file."""
    update = save_bars("EURUSD", "H1", SAMPLE_H1[:100], price_side="ask", has_spread=False)
    before = update.path.read_bytes()
    writer = subprocess.run([sys.executable, "-c", KILLED_WRITER], env=dict(os.environ, MAS_HOME=str(mas_home)),
                            capture_output=True, text=True, timeout=120)
    assert writer.returncode == -signal.SIGKILL, writer.stderr
    assert len(list(update.path.parent.glob(".H1.parquet.*.tmp"))) == 1
    assert update.path.read_bytes() == before
    return update.path


@posix_only
def test_the_next_write_removes_the_temp_file_of_a_killed_writer(mas_home):
    path = kill_a_writer(mas_home)
    assert len(load_bars("EURUSD", "H1")) == 100  # the killed write left the old file whole
    update = save_bars("EURUSD", "H1", SAMPLE_H1[100:200], price_side="ask", has_spread=False)
    assert (update.added, update.total) == (100, 200)
    assert sorted(p.name for p in path.parent.iterdir()) == [".H1.parquet.lock", "H1.parquet"]
    assert np.array_equal(load_bars("EURUSD", "H1").rates, SAMPLE_H1[:200])


@posix_only
def test_mas_data_check_removes_the_temp_file_of_a_killed_writer(mas_home):
    path = kill_a_writer(mas_home)
    result = runner.invoke(app, ["check", "EURUSD", "--timeframe", "H1"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 temp file(s) left by interrupted writes" in result.output
    assert not list(path.parent.glob("*.tmp"))
    result = runner.invoke(app, ["check", "EURUSD", "--timeframe", "H1"])
    assert result.exit_code == 0 and "temp file" not in result.output


def test_a_temp_file_of_a_write_in_progress_is_left_alone(mas_home):
    path = save_bars("EURUSD", "H1", SAMPLE_H1[:10], price_side="ask", has_spread=False).path
    temp = path.with_name(f".H1.parquet.{'ab' * 16}.tmp")
    with locked(path):  # a writer holds the lock and is writing its temp
        temp.write_bytes(b"in progress")
        assert clean_folder(path.parent) == 0
        assert temp.exists()
    assert clean_folder(path.parent) == 1
    assert not temp.exists()


# --- damaged and impossible files ----------------------------------------------------------------

def flip_bytes_in_a_data_page(path: Path, column: str) -> None:
    """Invert 4 bytes in the middle of ``column``'s data page (after its page header)."""
    chunk = pq.ParquetFile(path).metadata.row_group(0)
    meta = next(chunk.column(i) for i in range(chunk.num_columns) if chunk.column(i).path_in_schema == column)
    chunk_start = meta.dictionary_page_offset if meta.has_dictionary_page else meta.data_page_offset
    page_start, chunk_end = meta.data_page_offset, chunk_start + meta.total_compressed_size
    assert chunk_end - page_start > 200
    content = bytearray(path.read_bytes())
    middle = (page_start + 64 + chunk_end) // 2
    content[middle:middle + 4] = bytes(b ^ 0xFF for b in content[middle:middle + 4])
    path.write_bytes(bytes(content))


def test_flipped_bytes_in_the_high_column_are_reported_with_the_file_and_the_repair(mas_home):
    path = save_bars("EURUSD", "H1", SAMPLE_H1, price_side="ask", has_spread=False).path
    flip_bytes_in_a_data_page(path, "high")
    with pytest.raises(CorruptDataError) as caught:
        load_bars("EURUSD", "H1")
    message = str(caught.value)
    assert message.startswith(f"{path}: the file is damaged")
    assert "CRC checksum verification failed" in message
    assert "mas data remove EURUSD --timeframe H1" in message
    assert caught.value.path == path

    result = runner.invoke(app, ["check", "EURUSD"])
    assert result.exit_code == 2 and "CRC checksum verification failed" in result.output
    assert "mas data remove EURUSD --timeframe H1" in result.output
    with pytest.raises(CorruptDataError, match="mas data remove EURUSD --timeframe H1"):
        save_bars("EURUSD", "H1", SAMPLE_H1[:5], price_side="ask", has_spread=False)  # no merge into it

    assert runner.invoke(app, ["remove", "EURUSD", "--timeframe", "H1"]).exit_code == 0
    save_bars("EURUSD", "H1", SAMPLE_H1, price_side="ask", has_spread=False)
    assert np.array_equal(load_bars("EURUSD", "H1").rates, SAMPLE_H1)


def test_files_written_without_checksums_still_load(mas_home):
    path = dataset_path("EURUSD", "H1")
    write_rates_file(path, SAMPLE_H1, price_side="ask", has_spread=False, symbol="EURUSD", timeframe="H1")
    pq.write_table(pq.read_table(path), path, compression="zstd", write_page_checksum=False)
    assert np.array_equal(load_bars("EURUSD", "H1").rates, SAMPLE_H1)
    flip_bytes_in_a_data_page(path, "high")  # without checksums, only the candle checks can notice
    with pytest.raises(CorruptDataError):
        load_bars("EURUSD", "H1")


def test_a_valid_file_with_a_high_times_1000_is_refused(mas_home):
    rates = SAMPLE_H1.copy()
    rates["high"][1000] *= 1000
    path = dataset_path("EURUSD", "H1")
    write_rates_file(path, rates, price_side="ask", has_spread=False, symbol="EURUSD", timeframe="H1")
    when = datetime.fromtimestamp(int(rates["time"][1000]), tz=timezone.utc).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(CorruptDataError) as caught:
        load_bars("EURUSD", "H1", datetime(2017, 6, 1), datetime(2017, 6, 2))
    message = str(caught.value)
    assert message.startswith(f"{path}: 1 bar(s) are implausible")
    assert f"(first at {when} UTC)" in message and "mas data remove EURUSD --timeframe H1" in message
    result = runner.invoke(app, ["check", "EURUSD", "--timeframe", "H1"])
    assert result.exit_code == 0, result.output
    assert "1 implausible bars (a price more than 10 times away" in result.output and when in result.output

    with pytest.raises(ValueError, match=r"refusing to store EURUSD H4 bars: 1 bar\(s\) are implausible"):
        save_bars("EURUSD", "H4", rates, price_side="ask", has_spread=False)
    assert not dataset_path("EURUSD", "H4").exists()


def test_a_merge_that_would_be_implausible_is_refused(mas_home):
    save_bars("EURUSD", "H1", SAMPLE_H1[:100], price_side="ask", has_spread=False)
    scaled = SAMPLE_H1[100:110].copy()
    for name in ("open", "high", "low", "close"):
        scaled[name] *= 100  # a decimal slip: every price of the new bars x100
    with pytest.raises(ValueError, match=r"refusing to merge EURUSD H1 bars .* 1 bar\(s\) are implausible"):
        save_bars("EURUSD", "H1", scaled, price_side="ask", has_spread=False)
    assert len(load_bars("EURUSD", "H1")) == 100


def test_the_bundled_sample_passes_every_candle_check():
    for path in sorted(sample_dir().glob("*.parquet")):
        assert candle_problem(read_rates_file(path, checked=False).rates) is None, path


def bars_from_closes(closes: np.ndarray) -> np.ndarray:
    rates = np.zeros(closes.size, dtype=RATES_DTYPE)
    rates["time"] = 1_600_000_000 + 3600 * np.arange(closes.size)
    rates["open"] = np.concatenate(([closes[0]], closes[:-1]))
    rates["close"] = closes
    rates["high"] = np.maximum(rates["open"], closes) * 1.001
    rates["low"] = np.minimum(rates["open"], closes) * 0.999
    return rates


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(st.floats(-0.2, 0.2), min_size=2, max_size=60),
    row=st.integers(0, 59),
    field=st.sampled_from(["high", "close", "low", "all"]),
    # the rule compares a price with its bar's reference (the median of the previous close, the open and
    # the close), which may sit up to 1.23x from the scaled price here (a 22% bar): a factor of 12.5
    # puts every scaled price more than 10x off its reference
    factor=st.floats(IMPLAUSIBLE_FACTOR * 1.25, 1e6),
)
def test_one_price_scaled_past_tenfold_is_caught_and_real_moves_are_not(steps, row, field, factor):
    rates = bars_from_closes(1.1 * np.exp(np.cumsum(steps)))  # up to +-22% a bar: far more than markets do
    assert candle_problem(rates) is None
    row %= rates.size
    broken = rates.copy()
    if field == "high":
        broken["high"][row] *= factor
    elif field == "low":
        broken["low"][row] /= factor
    elif field == "close":
        broken["close"][row] *= factor
        broken["high"][row] = broken["close"][row]
    else:
        for name in ("open", "high", "low", "close"):
            broken[name][row] *= factor
    problem = candle_problem(broken)
    assert problem is not None and "implausible" in problem


def test_each_candle_check_names_its_problem_with_a_count():
    good = bars_from_closes(np.full(5, 1.1))
    cases = {
        "have a price that is not a finite positive number": ("close", 2, np.nan),
        "break low <= open, close <= high": ("open", 3, 1.2),
    }
    for words, (name, row, value) in cases.items():
        broken = good.copy()
        broken[name][row] = value
        assert candle_problem(broken).startswith(f"1 bar(s) {words}")
    unordered = good.copy()
    unordered["time"][3] = unordered["time"][1]
    assert candle_problem(unordered).startswith("1 bar(s) are not later than the bar before them (first at")
    negative = good.copy()
    negative["low"][:] = -1.0
    assert candle_problem(negative).startswith("5 bar(s) have a price that is not a finite positive number")


# --- off-grid imports ---------------------------------------------------------------------------

def test_an_m1_file_imported_as_h1_is_refused_unless_forced(tmp_path, mas_home):
    export = mt5_m1_export(tmp_path / "EURUSD_M1.csv", 0, 1440)
    result = runner.invoke(app, ["import", str(export), "--symbol", "EURUSD", "--timeframe", "H1"])
    assert result.exit_code == 2
    assert "1,416 of 1,440 bars are not on the H1 grid" in result.output
    assert "the data looks like M1 bars: import it with --timeframe M1" in result.output
    assert "--force" in result.output
    assert [info for info in list_datasets("EURUSD") if info.source != "bundled"] == []

    result = runner.invoke(app, ["import", str(export), "--symbol", "EURUSD", "--timeframe", "H1", "--force"])
    assert result.exit_code == 0, result.output
    assert len(read_rates_file(dataset_path("EURUSD", "H1")).rates) == 1440
    result = runner.invoke(app, ["import", str(export), "--symbol", "EURUSD", "--timeframe", "M1"])
    assert result.exit_code == 0 and "1440 bars in total" in result.output


def test_guess_timeframe_reads_the_step_and_the_grid():
    start = 1_483_315_200  # 2017-01-02 00:00 UTC, a Monday
    assert guess_timeframe(start + 60 * np.arange(100)) == "M1"
    assert guess_timeframe(start + 300 * np.arange(100)) == "M5"
    assert guess_timeframe(start + 3600 * np.array([0, 1, 2, 5, 6])) == "H1"
    assert guess_timeframe(SAMPLE_H1["time"]) == "H1"
    assert guess_timeframe(start + 86400 * np.arange(5)) == "D1"
    assert guess_timeframe(start + 30 + 60 * np.arange(10)) is None
    assert guess_timeframe(np.array([start])) is None


# --- mas data remove ----------------------------------------------------------------------------

def ticks_on(day_start: int, count: int) -> np.ndarray:
    ticks = np.zeros(count, dtype=TICKS_DTYPE)
    ticks["time_msc"] = day_start * 1000 + 1000 * np.arange(count)
    ticks["time"] = ticks["time_msc"] // 1000
    ticks["bid"], ticks["ask"] = 1.1, 1.1002
    return ticks


def test_mas_data_remove_deletes_what_is_asked_under_the_lock(mas_home):
    save_bars("EURUSD", "H1", SAMPLE_H1[:50], price_side="ask", has_spread=False)
    save_bars("EURUSD", "D1", read_rates_file(sample_dir() / "EURUSD_D1.parquet").rates[:20], price_side="ask",
              has_spread=False)
    save_ticks("EURUSD", np.concatenate([ticks_on(1_483_315_200, 5), ticks_on(1_483_401_600, 7)]))
    folder = dataset_path("EURUSD", "H1").parent

    result = runner.invoke(app, ["remove", "eurusd", "--timeframe", "h1"])
    assert result.exit_code == 0, result.output
    assert f"Removed EURUSD H1 bars ({folder / 'H1.parquet'})" in result.output
    assert not (folder / "H1.parquet").exists() and (folder / "D1.parquet").exists()
    assert load_bars("EURUSD", "H1").source == "ticks (H1 built on demand from stored ticks)"

    result = runner.invoke(app, ["remove", "EURUSD", "--timeframe", "H4"])
    assert result.exit_code == 2
    assert "No EURUSD H4 bars are stored" in result.output and "stored for EURUSD: D1 bars, ticks" in result.output

    result = runner.invoke(app, ["remove", "GBPUSD"])
    assert result.exit_code == 2 and "Nothing is stored for GBPUSD" in result.output
    assert "(stored symbols: EURUSD)" in result.output

    result = runner.invoke(app, ["remove", "EURUSD", "--ticks"])
    assert result.exit_code == 0 and "Removed EURUSD ticks: 2 day file(s)" in result.output
    assert stored_tick_days("EURUSD") == [] and (folder / "D1.parquet").exists()
    assert load_bars("EURUSD", "H1").source == BUNDLED_SOURCE

    result = runner.invoke(app, ["remove", "EURUSD"])
    assert result.exit_code == 0 and "Removed EURUSD D1 bars" in result.output
    assert [info.source for info in list_datasets("EURUSD")] == ["bundled"] * 3
    result = runner.invoke(app, ["remove", "EURUSD"])
    assert result.exit_code == 2
    assert "Nothing is stored for EURUSD" in result.output and "cannot be removed" in result.output


# --- bars from a terminal -----------------------------------------------------------------------

class SampleTerminal:
    """A logged-in terminal whose server serves the bundled H1 sample as bids, at UTC + offset hours."""

    def __init__(self, offset_hours: int = 0, rates: np.ndarray = SAMPLE_H1) -> None:
        self.offset = offset_hours * 3600
        self.rates = rates.copy()
        self.rates["time"] += self.offset
        self.requests: list[tuple[datetime, datetime]] = []
        self.fail = False

    def symbol_select(self, symbol: str, enable: bool) -> bool:
        return symbol == "EURUSD"

    def copy_rates_range(self, symbol: str, timeframe: int, date_from: datetime, date_to: datetime):
        self.requests.append((date_from, date_to))
        if self.fail or timeframe != 16385:  # TIMEFRAME_H1
            return None
        lo = (date_from - datetime(1970, 1, 1)).total_seconds()
        hi = (date_to - datetime(1970, 1, 1)).total_seconds()
        return self.rates[(self.rates["time"] >= lo) & (self.rates["time"] <= hi)]

    def last_error(self) -> tuple[int, str]:
        return (-1, "Terminal: history not synchronized")


def in_range(start: datetime, end: datetime) -> np.ndarray:
    lo, hi = (int((moment - datetime(1970, 1, 1)).total_seconds()) for moment in (start, end))
    return SAMPLE_H1[(SAMPLE_H1["time"] >= lo) & (SAMPLE_H1["time"] <= hi)]


def test_load_bars_with_terminal_fetches_only_what_is_missing(mas_home):
    terminal = SampleTerminal(offset_hours=2)
    march = (datetime(2017, 3, 1), datetime(2017, 3, 31, 23))
    series = load_bars_with_terminal("EURUSD", "H1", *march, terminal, tz_offset_hours=2)
    assert series.source == str(dataset_path("EURUSD", "H1")) and series.price_side == "bid"
    assert np.array_equal(series.rates, in_range(*march)) and len(series) == 550  # last bar: Fri 31st 20:00
    assert terminal.requests == [(datetime(2017, 3, 1, 2), datetime(2017, 4, 1, 1))]  # server time, UTC+2

    again = load_bars_with_terminal("EURUSD", "H1", *march, terminal, tz_offset_hours=2)
    assert np.array_equal(again.rates, series.rates)
    assert terminal.requests[1:] == [(datetime(2017, 3, 31, 23), datetime(2017, 4, 1, 1))]  # only after 20:00

    wider = (datetime(2017, 2, 20), datetime(2017, 4, 10))
    series = load_bars_with_terminal("EURUSD", "H1", *wider, terminal, tz_offset_hours=2)
    assert np.array_equal(series.rates, in_range(*wider)) and len(series) == 842
    assert terminal.requests[2:] == [(datetime(2017, 2, 20, 2), datetime(2017, 3, 1, 1, 59, 59)),
                                     (datetime(2017, 3, 31, 23), datetime(2017, 4, 10, 2))]
    assert len(read_rates_file(dataset_path("EURUSD", "H1")).rates) == 842


def test_load_bars_with_terminal_refills_an_inner_gap_with_one_request(mas_home):
    save_bars("EURUSD", "H1", np.concatenate([in_range(datetime(2017, 3, 1), datetime(2017, 3, 7)),
                                              in_range(datetime(2017, 3, 10), datetime(2017, 3, 31, 23))]),
              price_side="bid", has_spread=True)
    terminal = SampleTerminal()
    series = load_bars_with_terminal("EURUSD", "H1", datetime(2017, 3, 1), datetime(2017, 3, 31, 23), terminal)
    assert len(terminal.requests) == 2 and len(series) == 550  # the gap, and after the last bar (Fri 20:00)
    assert np.array_equal(series.rates, in_range(datetime(2017, 3, 1), datetime(2017, 3, 31, 23)))


def test_load_bars_with_terminal_errors_are_clear_and_store_nothing(mas_home):
    terminal = SampleTerminal()
    terminal.fail = True
    with pytest.raises(TerminalDownloadError, match="copy_rates_range.*history not synchronized"):
        load_bars_with_terminal("EURUSD", "H1", datetime(2017, 3, 1), datetime(2017, 3, 2), terminal)
    broken = SAMPLE_H1.copy()
    broken["high"][1400] *= 1000
    with pytest.raises(ValueError, match=r"refusing to store EURUSD H1 bars: 1 bar\(s\) are implausible"):
        load_bars_with_terminal("EURUSD", "H1", datetime(2017, 3, 1), datetime(2017, 3, 31), SampleTerminal(0, broken))
    assert not dataset_path("EURUSD", "H1").exists()
    with pytest.raises(MissingDataError):
        load_bars_with_terminal("EURUSD", "H1", datetime(2030, 1, 1), datetime(2030, 1, 2), SampleTerminal())


def test_missing_spans():
    times = 3600 * np.array([10, 11, 12, 20, 21], dtype=np.int64) + 1_483_315_200  # Monday 2017-01-02
    first, last = int(times[0]) - 7200, int(times[-1]) + 7200
    assert missing_spans(times, first, last, "H1") == [
        (first, int(times[0]) - 1), (int(times[2]) + 3600, int(times[3]) - 1), (int(times[-1]) + 3600, last)
    ]
    assert missing_spans(times, int(times[0]), int(times[2]), "H1") == []
    assert missing_spans(times, 0, 100, "H1") == [(0, 100)]
