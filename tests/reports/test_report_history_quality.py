"""History quality (MT5's "History Quality") on hand-made bars and on the bundled sample; and the walk-forward's
out-of-sample margin figures."""

from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pytest

from mas.optimize.walkforward import run_walk_forward
from mas.reports.tester import history_quality, margin_figures, missing_bars, strategy_tester_statistics
from mas.terminal.types import RATES_DTYPE

from .helpers import make_result

MONDAY = int(datetime(2017, 1, 2, tzinfo=timezone.utc).timestamp())
H, DAY, WEEK = 3600, 86_400, 7 * 86_400


def week_bars(weeks: int, step: int = H) -> np.ndarray:
    """Monday 00:00 to Friday 23:00 UTC every week, flat bars of 10 ticks."""
    times = [MONDAY + w * WEEK + k * step for w in range(weeks) for k in range(5 * DAY // step)]
    b = np.zeros(len(times), dtype=RATES_DTYPE)
    b["time"] = times
    b["open"] = b["close"] = 1.1
    b["high"], b["low"] = 1.1002, 1.0998
    b["tick_volume"] = 10
    return b


def drop(bars: np.ndarray, *times: int) -> np.ndarray:
    return bars[~np.isin(bars["time"], times)]


def test_history_quality_by_hand():
    bars = week_bars(4)
    assert len(bars) == 480 and history_quality({"X": bars}) == {
        "history_quality": 100.0, "history_bad_bars": 0, "history_missing_bars": 0}
    wednesday = MONDAY + WEEK + 2 * DAY
    bars = drop(bars, wednesday + 10 * H, wednesday + 11 * H, wednesday + 12 * H)  # 3 bars lost mid-week
    one_tick = np.flatnonzero(bars["time"] >= MONDAY + 2 * WEEK)[:3]
    bars["tick_volume"][one_tick] = 1  # one tick cannot make a range: 2 of them are wrong
    bars["high"][one_tick[2]] = bars["low"][one_tick[2]] = bars["open"][one_tick[2]]  # this one is flat: right
    q = history_quality({"X": bars})
    assert q["history_bad_bars"] == 2 and q["history_missing_bars"] == 3
    assert q["history_quality"] == pytest.approx(100 * (477 - 2) / (477 + 3))


def test_weekends_daylight_saving_and_holidays():
    bars = week_bars(6)
    # week 3 opens an hour later and closes an hour earlier (as forex weeks do across daylight saving):
    # the missing hours are at the edges of its week, not gaps
    third = MONDAY + 2 * WEEK
    bars = drop(bars, third, third + 4 * DAY + 23 * H)
    assert missing_bars(bars["time"]) == 0
    # a holiday inside week 5 (Wednesday closed all day) is 24 gaps
    wednesday = MONDAY + 4 * WEEK + 2 * DAY
    bars = drop(bars, *[wednesday + k * H for k in range(24)])
    assert missing_bars(bars["time"]) == 24
    # a time of the week with a bar in fewer than half of the weeks is not a trading time
    extra = np.concatenate([bars, week_bars(1)[:1]])
    extra["time"][-1] = MONDAY + 5 * DAY + 3 * H  # one Saturday 03:00 bar
    assert missing_bars(np.sort(extra["time"])) == 24
    # daily and weekly bars: D1 gaps count, W1 has no grid to miss
    daily = week_bars(4, DAY)
    assert missing_bars(daily["time"]) == 0 and missing_bars(drop(daily, MONDAY + WEEK + 2 * DAY)["time"]) == 1
    assert missing_bars(MONDAY + WEEK * np.array([0, 1, 3])) == 0
    assert history_quality({}) == {"history_quality": None, "history_bad_bars": None, "history_missing_bars": None}


def test_the_sample_misses_the_christmas_hours(sample_rates):
    q = history_quality({"EURUSD": sample_rates})
    # 2017-12-25: bars until 07:00 UTC, then from 22:00: 14 hours inside the week
    assert q["history_missing_bars"] == 14 and q["history_bad_bars"] == 0
    assert q["history_quality"] == pytest.approx(100 * len(sample_rates) / (len(sample_rates) + 14))
    stats = strategy_tester_statistics(make_result(sample_rates["time"], np.full(len(sample_rates), 1e4),
                                                   bars={"EURUSD": sample_rates}))
    assert stats["history_quality"] == q["history_quality"]
    assert strategy_tester_statistics(make_result(sample_rates["time"], np.full(len(sample_rates), 1e4)))[
        "history_quality"] is None


def test_walk_forward_windows_carry_their_margin(tmp_path, monkeypatch):
    monkeypatch.setenv("MAS_HOME", str(tmp_path))
    result = run_walk_forward("ma", {"fast": [5, 10], "slow": [20, 40]}, in_sample="3M", out_of_sample="2M",
                              symbol="EURUSD", timeframe="H1", start="2017-01-01", end="2017-12-31",
                              metric="total_return_rate",
                              warmup_bars=100)
    doc = result.document()
    assert len(doc["windows"]) >= 3
    for window, w in zip(doc["windows"], result.windows, strict=True):
        run = w.out_of_sample_result
        assert run.margin is not None and len(run.margin) == len(run.equity)  # the warm-up is cut off with it
        held = run.margin > 0
        assert held.any()
        assert window["out_of_sample_margin"]["min_margin_level"] == pytest.approx(
            float(np.min(100 * run.equity[held] / run.margin[held])))
        assert window["out_of_sample_margin"] == margin_figures(run.equity, run.margin)
        # margin is held exactly while a position of the window is open
        times = np.asarray(run.equity_times)
        open_at = np.zeros(len(times), dtype=bool)
        for t in run.trades:
            end = t.close_time.timestamp() if t.close_time is not None else np.inf
            open_at |= (times >= t.open_time.timestamp()) & (times < end)
        assert np.array_equal(held, open_at)
    stitched = result.stitched
    assert np.array_equal(stitched.margin, np.concatenate([w.out_of_sample_result.margin for w in result.windows]))
    assert doc["stitched_out_of_sample_margin"] == margin_figures(stitched.equity, stitched.margin)
    frame = result.frame()
    assert frame["out_of_sample_min_margin_level"].tolist() == pytest.approx(
        [w["out_of_sample_margin"]["min_margin_level"] for w in doc["windows"]])
