"""Quality: closed market time, gap finding per timeframe, checks of stored data, `mas data check`."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest
from typer.testing import CliRunner

from mas.cli.data import app
from mas.data.market_hours import is_open, open_seconds
from mas.data.quality import check_stored, find_gaps
from mas.data.rates_file import write_rates_file
from mas.data.store import MissingDataError, dataset_path, save_bars
from mas.data.tick_store import MissingTicksError, save_ticks
from mas.data.ticks import make_ticks
from mas.terminal.types import RATES_DTYPE

runner = CliRunner()


def epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def bars(times, price: float = 1.1) -> np.ndarray:
    rates = np.zeros(len(times), dtype=RATES_DTYPE)
    rates["time"] = times
    rates["open"] = rates["close"] = price
    rates["high"], rates["low"] = price + 0.001, price - 0.001
    rates["tick_volume"] = 1
    return rates


def week_of_bars(step: int, first=epoch(2024, 1, 7, 22), last=epoch(2024, 1, 12, 21)) -> np.ndarray:
    """Every bar of one trading week (Sunday 22:00 to Friday 21:00 UTC)."""
    return np.arange(first - first % step, last, step)


def test_closed_time_is_the_weekend_and_the_two_holidays():
    assert is_open(np.array([epoch(2024, 1, 5, 20, 59), epoch(2024, 1, 7, 22), epoch(2024, 12, 24, 20)])).all()
    assert not is_open(np.array([epoch(2024, 1, 5, 21), epoch(2024, 1, 6, 12), epoch(2024, 1, 7, 21, 59)])).any()
    assert not is_open(np.array([epoch(2024, 12, 24, 21), epoch(2024, 12, 25, 12), epoch(2025, 1, 1, 21)])).any()
    # Friday 20:00 to Monday 00:00 holds 1 h before the close and 2 h after the open.
    assert open_seconds(np.array([epoch(2024, 1, 5, 20)]), np.array([epoch(2024, 1, 8)])).tolist() == [3 * 3600]


@pytest.mark.parametrize("timeframe", ["M1", "M5", "H1", "H4"])
def test_a_complete_week_has_no_gaps_and_weekends_never_count(timeframe):
    step = {"M1": 60, "M5": 300, "H1": 3600, "H4": 14400}[timeframe]
    two_weeks = np.concatenate([week_of_bars(step), week_of_bars(step, epoch(2024, 1, 14, 22), epoch(2024, 1, 19, 21))])
    assert find_gaps(two_weeks, timeframe) == []


def test_missing_run_inside_the_week_is_a_gap_with_its_length():
    times = week_of_bars(60)
    hole = (times >= epoch(2024, 1, 9, 10)) & (times < epoch(2024, 1, 9, 11, 30))
    [gap] = find_gaps(times[~hole], "M1")
    assert (gap.start, gap.end) == (utc(2024, 1, 9, 10), utc(2024, 1, 9, 11, 30))
    assert (gap.missing_bars, gap.missing_open_seconds) == (90, 5400)


def test_short_silences_are_below_the_threshold():
    times = week_of_bars(60)
    quiet = (times >= epoch(2024, 1, 9, 21)) & (times < epoch(2024, 1, 9, 21, 29))
    assert find_gaps(times[~quiet], "M1") == []
    assert len(find_gaps(times[~quiet], "M1", min_gap_seconds=60)) == 1


def test_a_gap_across_the_weekend_counts_only_open_time():
    times = week_of_bars(3600)
    times = np.concatenate([times[times < epoch(2024, 1, 12, 15)], [epoch(2024, 1, 15, 3)]])
    [gap] = find_gaps(times, "H1")
    # Friday 15:00-21:00 (6 h) and Sunday 22:00 - Monday 03:00 (5 h).
    assert (gap.missing_bars, gap.missing_open_seconds) == (11, 11 * 3600)


def test_christmas_day_is_not_a_gap_but_a_missing_weekday_is():
    days = [epoch(2024, 12, d) for d in (23, 24, 26, 27, 30)]
    assert find_gaps(days, "D1") == []
    [gap] = find_gaps([epoch(2024, 12, d) for d in (23, 24, 27)], "D1")
    assert (gap.start, gap.end, gap.missing_bars) == (utc(2024, 12, 25), utc(2024, 12, 27), 1)


def test_weekly_and_monthly_gaps():
    assert find_gaps([epoch(2024, 1, 1), epoch(2024, 1, 8)], "W1") == []
    assert find_gaps([epoch(2024, 1, 1), epoch(2024, 1, 22)], "W1")[0].missing_bars == 2
    assert find_gaps([epoch(2024, 1, 1), epoch(2024, 2, 1)], "MN1") == []
    assert find_gaps([epoch(2024, 1, 1), epoch(2024, 4, 1)], "MN1")[0].missing_bars == 2


def test_tick_gaps_are_missing_open_time():
    seconds = np.arange(epoch(2024, 1, 9, 9), epoch(2024, 1, 9, 12), 5)
    seconds = seconds[(seconds < epoch(2024, 1, 9, 10)) | (seconds >= epoch(2024, 1, 9, 11))]
    [gap] = find_gaps(seconds, None)
    assert (gap.start, gap.end) == (utc(2024, 1, 9, 9, 59, 55), utc(2024, 1, 9, 11))
    assert (gap.missing_bars, gap.missing_open_seconds) == (0, 3605)


def test_check_stored_reports_row_problems_of_a_file_as_it_is():
    rates = bars([epoch(2024, 1, 9, 10, m) for m in (0, 2, 1, 2, 3, 4)])
    rates["high"][4] = rates["low"][4] - 0.01
    rates["open"][5] = 0.0
    write_rates_file(
        dataset_path("EURUSD", "M1"), rates, price_side="bid", has_spread=True, symbol="EURUSD", timeframe="M1"
    )
    [report] = check_stored("EURUSD", "M1")
    found = {problem.kind: (problem.count, problem.first_times) for problem in report.problems}
    assert found["duplicate_time"] == (1, (utc(2024, 1, 9, 10, 2),))
    assert found["out_of_order"] == (1, (utc(2024, 1, 9, 10, 1),))
    assert found["inverted"] == (1, (utc(2024, 1, 9, 10, 3),))
    assert found["non_positive_price"] == (1, (utc(2024, 1, 9, 10, 4),))
    assert report.rows == 6 and report.gaps == []


def test_check_stored_ticks_and_missing_data_errors():
    with pytest.raises(MissingTicksError, match="--ticks"):
        check_stored("EURUSD", ticks=True)
    with pytest.raises(MissingDataError, match="No GBPUSD M5 bars"):
        check_stored("GBPUSD", "M5")
    stamps = np.concatenate([np.arange(epoch(2024, 1, 9, 9), epoch(2024, 1, 9, 10), 5), [epoch(2024, 1, 10, 9)]]) * 1000
    bid = np.full(stamps.size, 1.1)
    ask = bid.copy()
    ask[3] = 1.0  # crossed
    ticks = make_ticks(stamps, bid, ask)
    save_ticks("EURUSD", ticks)
    [report] = check_stored("EURUSD", ticks=True)
    assert report.timeframe == "TICKS" and report.rows == stamps.size
    assert [(p.kind, p.count) for p in report.problems] == [("crossed", 1)]
    [gap] = report.gaps  # from Tuesday 10:00 to Wednesday 09:00 across two day files
    assert gap.end == utc(2024, 1, 10, 9)


def test_check_command_prints_problems_and_gaps():
    times = week_of_bars(3600)
    save_bars("EURUSD", "H1", bars(np.delete(times, [30, 31, 32])), price_side="bid", has_spread=True)
    result = runner.invoke(app, ["check", "EURUSD", "--timeframe", "H1"])
    assert result.exit_code == 0, result.output
    assert "EURUSD H1" in result.output and "no duplicate or unordered stamps" in result.output
    assert "gaps:  1, 3.0 open-market hours missing" in result.output
    assert "2024-01-09 04:00 .. 2024-01-09 07:00: 3 bar(s)" in result.output
    everything = runner.invoke(app, ["check", "EURUSD"])
    assert "EURUSD D1 (bundled sample)" in everything.output
    missing = runner.invoke(app, ["check", "EURUSD", "--ticks"])
    assert missing.exit_code == 2 and "mas data download EURUSD --source dukascopy" in missing.output


def test_list_shows_gaps_and_ticks():
    times = week_of_bars(60)
    save_bars(
        "GBPUSD",
        "M1",
        bars(times[(times < epoch(2024, 1, 9)) | (times >= epoch(2024, 1, 9, 2))]),
        price_side="bid",
        has_spread=True,
    )
    save_ticks("GBPUSD", make_ticks(np.array([epoch(2024, 1, 9, 10)]) * 1000, np.array([1.2]), np.array([1.2001])))
    result = runner.invoke(app, ["list"], env={"COLUMNS": "220"})
    assert result.exit_code == 0, result.output
    assert "Gaps" in result.output
    gbp_m1 = next(line for line in result.output.splitlines() if "GBPUSD" in line and " M1 " in line)
    assert " 1 " in gbp_m1
    gbp_ticks = next(line for line in result.output.splitlines() if "GBPUSD" in line and "TICKS" in line)
    assert "2024-01-09 10:00" in gbp_ticks and "0 day(s)" in gbp_ticks and "(1 days)" in gbp_ticks
    sample = next(line for line in result.output.splitlines() if "EURUSD" in line and " H1 " in line)
    assert " 0 " in sample
