"""Walk-forward windows, their results, and that out-of-sample bars never reach the in-sample search."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mas import MAS
from mas.optimize.walkforward import parse_length, run_walk_forward, walk_forward_windows

from .conftest import Q1


def _epoch(text: str) -> int:
    return int(pd.Timestamp(text).value // 1_000_000_000)


HOURLY = np.arange(_epoch("2017-01-02"), _epoch("2017-07-01"), 3600)


def test_rolling_windows_step_by_the_out_of_sample_length():
    windows = walk_forward_windows(HOURLY, "2M", "1M")
    assert [(pd.Timestamp(a, unit="s").strftime("%m-%d"), pd.Timestamp(b, unit="s").strftime("%m-%d"),
             pd.Timestamp(d, unit="s").strftime("%m-%d")) for (a, b), (_, d) in windows] == [
        ("01-02", "03-02", "04-02"), ("02-02", "04-02", "05-02"), ("03-02", "05-02", "06-02"),
        ("04-02", "06-02", "06-30")]
    for (_, is_end), (oos_start, _) in windows:
        assert is_end == oos_start


def test_anchored_windows_grow_from_the_start():
    windows = walk_forward_windows(HOURLY, "60D", "30D", anchored=True)
    assert {w[0][0] for w in windows} == {int(HOURLY[0])}
    assert [w[0][1] - w[0][0] for w in windows] == [(60 + 30 * k) * 86400 for k in range(len(windows))]


def test_bar_lengths_count_bars():
    windows = walk_forward_windows(HOURLY, "1000bars", "500bars")
    (is_start, is_end), (oos_start, oos_end) = windows[0]
    assert np.count_nonzero((HOURLY >= is_start) & (HOURLY < is_end)) == 1000
    assert np.count_nonzero((HOURLY >= oos_start) & (HOURLY < oos_end)) == 500


@pytest.mark.parametrize("text", ["", "5", "0D", "3 fortnights", "-2M"])
def test_bad_lengths_state_the_syntax(text):
    with pytest.raises(ValueError, match="expected a positive count and a unit"):
        parse_length(text)


def test_data_too_short_is_reported():
    with pytest.raises(ValueError, match="too short"):
        walk_forward_windows(HOURLY[:100], "1Y", "1M")


class RecordingStrategy(MAS):
    """Records the first and last bar time of every backtest it takes part in."""

    runs: list[tuple[int, int, int]] = []

    def __init__(self, period: int = 5) -> None:
        super().__init__()
        self.period = period
        self.first: int | None = None

    def receive_bars(self, symbol: str, data: dict, is_end: bool) -> None:
        stamp = int(pd.Timestamp(data["time"]).value // 1_000_000_000)
        if self.first is None:
            self.first = stamp
        if is_end:
            RecordingStrategy.runs.append((self.period, self.first, stamp))


@pytest.mark.parametrize("warmup", [0, 200])
def test_out_of_sample_bars_never_reach_the_in_sample_search(warmup):
    RecordingStrategy.runs = []
    result = run_walk_forward(RecordingStrategy, {"period": [3, 5, 8]}, in_sample="3W", out_of_sample="2W",
                              metric="number_of_trades", engine="event", warmup_bars=warmup, **Q1)
    runs = list(RecordingStrategy.runs)
    assert len(result.windows) >= 3
    assert len(runs) == 4 * len(result.windows)  # 3 in-sample runs and 1 out-of-sample run per window
    for k, window in enumerate(result.windows):
        in_sample, out_of_sample = runs[4 * k: 4 * k + 3], runs[4 * k + 3]
        (is_start, is_end), (oos_start, oos_end) = window.in_sample, window.out_of_sample
        assert sorted(period for period, _, _ in in_sample) == [3, 5, 8]
        for _, first, last in in_sample:
            assert is_start <= first and last < is_end <= oos_start
        assert out_of_sample[2] < oos_end  # the out-of-sample run (and its warm-up) never sees a later bar
        assert (out_of_sample[1] < oos_start) if warmup else (out_of_sample[1] >= oos_start)


class WarmUpProbe(MAS):
    """Buys as soon as it has ``ready`` bars of history (as an indicator of that length would), closes ``hold``
    bars later, and buys again; logs every bar it sees and whether each buy was accepted."""

    log: list[dict] = []

    def __init__(self, ready: int = 20, hold: int = 3) -> None:
        super().__init__()
        self.ready, self.hold = ready, hold
        self.seen: list[int] = []
        self.accepted: list[tuple[int, bool]] = []
        self.order_id = None
        self.held = 0

    def receive_bars(self, symbol: str, data: dict, is_end: bool) -> None:
        self.seen.append(int(pd.Timestamp(data["time"]).value // 1_000_000_000))
        if self.order_id is None and len(self.seen) >= self.ready:
            self.order_id = self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1,
                                             "backtest_toggle": True})
            self.accepted.append((self.seen[-1], self.order_id is not None))
            self.held = 0
        elif self.order_id is not None:
            self.held += 1
            if self.held >= self.hold:
                self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1, "order_id": self.order_id,
                                 "backtest_toggle": True})
                self.order_id = None
        if is_end:
            WarmUpProbe.log.append({"ready": self.ready, "seen": list(self.seen), "accepted": list(self.accepted)})


def _bar_times() -> np.ndarray:
    from mas.vector.market_data import MarketData

    data = MarketData.load({"symbol": "EURUSD", "timeframe": "H1", "from": Q1["start"], "to": Q1["end"]})
    return data.series["EURUSD"].rates["time"].astype(np.int64)


def test_out_of_sample_windows_warm_up_on_earlier_bars_and_trade_only_inside():
    """The out-of-sample run of each window first replays the ``warmup_bars`` bars just before the window (and
    only those: earlier bars, none after it); orders sent during them are refused, so no trade leaks from the
    in-sample period (or its warm-up) into the window: every trade opens inside the window, and the window's
    result starts at the window with the initial capital. The strategy is warm: it trades from the first bar."""
    WarmUpProbe.log = []
    warmup = 120
    result = run_walk_forward(WarmUpProbe, {"ready": [20, 30]}, in_sample="3W", out_of_sample="2W",
                              metric="number_of_trades", engine="event", warmup_bars=warmup, **Q1)
    times = _bar_times()
    runs = list(WarmUpProbe.log)
    assert len(result.windows) >= 3 and len(runs) == 3 * len(result.windows)  # 2 in-sample runs + 1 per window
    capital = result.stitched.initial_capital
    for k, window in enumerate(result.windows):
        (oos_start, oos_end), probe = window.out_of_sample, runs[3 * k + 2]
        seen = np.array(probe["seen"])
        first = int(np.searchsorted(times, oos_start))
        warm = times[max(0, first - warmup):first]
        # the warm-up is exactly the bars just before the window: consecutive, earlier, and then the window's bars
        np.testing.assert_array_equal(seen, times[max(0, first - warmup):int(np.searchsorted(times, oos_end))])
        assert np.all(warm < oos_start) and seen[-1] < oos_end
        # every buy during the warm-up was refused; the first bar of the window already trades (warm history)
        refused = [accepted for stamp, accepted in probe["accepted"] if stamp < oos_start]
        allowed = [(stamp, accepted) for stamp, accepted in probe["accepted"] if stamp >= oos_start]
        assert refused and not any(refused)
        assert allowed[0] == (int(times[first]), True)
        oos = window.out_of_sample_result
        assert oos.equity_times[0] == times[first] and oos.equity[0] == capital
        assert oos.settings["warmup_bars"] == len(warm)
        assert oos.trades, "the warm probe trades in the window"
        for trade in oos.trades:  # no trade from before the window; none beyond it
            opened = pd.Timestamp(trade.open_time).value // 1_000_000_000
            assert oos_start < opened < oos_end
            if not trade.is_open:
                assert pd.Timestamp(trade.close_time).value // 1_000_000_000 < oos_end
        # the in-sample runs of this window replayed in-sample bars only: no warm-up reaches into the window
        for probe_is in runs[3 * k: 3 * k + 2]:
            assert window.in_sample[0] <= probe_is["seen"][0] and probe_is["seen"][-1] < window.in_sample[1]
    # the stitched out-of-sample trades are the windows' trades, each inside its own window
    assert len(result.stitched.trades) == sum(len(w.out_of_sample_result.trades) for w in result.windows)
    assert result.document()["windows"][0]["out_of_sample"]["from"].startswith(
        pd.Timestamp(result.windows[0].out_of_sample[0], unit="s").strftime("%Y-%m-%d"))


def test_without_warm_up_the_window_starts_cold():
    WarmUpProbe.log = []
    result = run_walk_forward(WarmUpProbe, {"ready": [20]}, in_sample="3W", out_of_sample="2W",
                              metric="number_of_trades", engine="event", warmup_bars=0, **Q1)
    times = _bar_times()
    for k, window in enumerate(result.windows):
        probe = WarmUpProbe.log[2 * k + 1]
        first = int(np.searchsorted(times, window.out_of_sample[0]))
        assert probe["seen"][0] == times[first]
        assert probe["accepted"][0] == (int(times[first + 19]), True)  # 20 bars of its own before it can trade
    with pytest.raises(ValueError, match="wf-warmup-bars"):
        run_walk_forward(WarmUpProbe, {"ready": [20]}, in_sample="3W", out_of_sample="2W", warmup_bars=-1, **Q1)


def test_walk_forward_result_stitches_out_of_sample_runs():
    result = run_walk_forward("ma", {"fast": [5, 10], "slow": [20, 40]}, in_sample="4W", out_of_sample="3W", **Q1)
    stitched = result.stitched
    pieces = [w.out_of_sample_result for w in result.windows]
    assert len(stitched.equity) == sum(len(p.equity) for p in pieces)
    assert np.all(np.diff(stitched.equity_times) > 0)
    capital = stitched.initial_capital
    expected_end = capital + sum(float(p.equity[-1]) - capital for p in pieces)
    assert stitched.equity[-1] == pytest.approx(expected_end)
    assert len(stitched.trades) == sum(len(p.trades) for p in pieces)
    for w in result.windows:
        assert w.best is not None and w.best.params == w.search.best.params
        assert w.degradation == pytest.approx(w.out_of_sample_value - w.in_sample_value)
        assert w.out_of_sample_metrics["sharpe_ratio"] == w.out_of_sample_value
    frame = result.frame()
    assert list(frame["window"]) == list(range(1, len(result.windows) + 1))
    assert {"param_fast", "param_slow", "in_sample", "out_of_sample", "degradation"} <= set(frame.columns)
    doc = result.document()
    assert len(doc["windows"]) == len(result.windows)
    assert doc["stitched_out_of_sample_metrics"]["total_return_rate"] == pytest.approx(
        100 * (expected_end / capital - 1))


def test_walk_forward_in_processes_equals_the_serial_run():
    options = dict(in_sample="4W", out_of_sample="3W", constraints=["fast < slow"], **Q1)
    serial = run_walk_forward("ma", {"fast": [5, 10], "slow": [10, 20]}, **options)
    parallel = run_walk_forward("ma", {"fast": [5, 10], "slow": [10, 20]}, workers=2, **options)
    assert serial.document() == parallel.document()


def test_public_api_names():
    import mas.optimize as api
    from mas.optimize.api import optimize

    assert api.optimize is optimize
    assert all(callable(getattr(api, name)) for name in api.__all__)
    with pytest.raises(AttributeError):
        api.nothing_here  # noqa: B018
