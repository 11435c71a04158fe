"""Reports asked for inside the last callback (``is_end`` True), as every published MAS sample does:
complete, and identical to the same calls after ``subscribe_bars`` / ``subscribe_ticks`` returned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mas
from mas.data.tick_store import save_ticks
from mas.sessions.events import BAR_KEYS, TICK_KEYS

from .test_tick_replay import make_ticks

YEAR = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31", "captital": 1000,
        "backtest_toggle": True}


class EveryNBars(mas):
    """The documentation's report samples: alternately open and close every ``n`` bars, reports at is_end."""

    def __init__(self, n: int = 50, report_dir: Path | None = None) -> None:
        super().__init__()
        self.n, self.index, self.order_id = n, 0, None
        self.report_dir = report_dir
        self.at_end: dict = {}
        self.bars: list[dict] = []

    def receive_bars(self, symbol, data, is_end=False):
        self.bars.append(data)
        if self.index % self.n == 0:
            if self.order_id is None:
                self.order_id = self.send_order({"symbol": symbol, "order_type": "sell", "volume": 0.1,
                                                 "backtest_toggle": self.backtest_toggle})
            else:
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "order_id": self.order_id,
                                 "backtest_toggle": self.backtest_toggle})
                self.order_id = None
        self.index += 1
        if is_end:
            where = {"report_dir": str(self.report_dir / "at_end")} if self.report_dir else None
            self.at_end = {"data": self.generate_data_report(), "kpi": self.generate_kpi_report(where),
                           "chart": self.generate_trade_chart(where), "positions": self.get_positions()}


def test_reports_at_is_end_are_complete_and_identical_to_after_the_run(tmp_path):
    client = EveryNBars(n=50, report_dir=tmp_path)
    client.subscribe_bars(YEAR)
    at_end = client.at_end
    assert at_end["data"]["status"] is True, at_end["data"]
    after = client.generate_data_report()
    assert after == at_end["data"]
    metrics = at_end["data"]["data"]["performance_metrics"]
    closed = [t for t in client.backtest_result.trades if not t.is_open]
    assert metrics["number_of_trades"] == len(closed) > 50
    # the last bar is in: the run replayed every bar, and the report's curve ends at the last one
    assert len(client.backtest_result.equity_times) == len(client.bars)
    for kind in ("kpi", "chart"):
        assert at_end[kind]["status"] is True, at_end[kind]
        written_after = getattr(client, f"generate_{'kpi_report' if kind == 'kpi' else 'trade_chart'}")(
            {"report_dir": str(tmp_path / "after")})
        # plotly names each figure's div with a random UUID, and the KPI page says when it was written:
        # the only differences between two writes of the same result
        assert _same_ids(Path(at_end[kind]["path"])) == _same_ids(Path(written_after["path"]))


def _same_ids(path: Path) -> str:
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", path.read_text("utf-8"))
    return re.sub(r"generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", "generated <time> UTC", text)


def test_an_open_position_at_the_end_is_valued_at_the_last_close_and_marked_open():
    class BuyAndHold(mas):
        def __init__(self):
            super().__init__()
            self.report, self.last_close, self.profit_at_end = None, None, None

        def receive_bars(self, symbol, data, is_end):
            if not self.get_positions() and not self.get_pending_orders():
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.5, "backtest_toggle": True})
            if is_end:
                self.last_close = data["close"]
                self.profit_at_end = self.get_positions()[0]["profit"]
                self.report = self.generate_data_report()

    client = BuyAndHold()
    client.subscribe_bars({**YEAR, "captital": 10_000})
    trades = client.backtest_result.trades
    assert len(trades) == 1 and trades[0].is_open and trades[0].close_price == client.last_close
    assert trades[0].profit == pytest.approx(client.profit_at_end, abs=0.005)
    data = client.report["data"]
    assert data["general_data"]["number_of_trades"] == 0  # nothing closed
    assert data == client.generate_data_report()["data"]


def test_a_report_during_the_replay_covers_the_bars_so_far():
    class Midway(EveryNBars):
        def receive_bars(self, symbol, data, is_end=False):
            super().receive_bars(symbol, data, is_end)
            if self.index == 1000:
                self.midway = self.generate_data_report()["data"]["performance_metrics"]["number_of_trades"]
                self.closed_midway = len([d for d in self.get_order_history() if d["entry"] == 1])

    client = Midway(n=50)
    client.subscribe_bars(YEAR)
    assert client.midway == client.closed_midway == 10  # orders at bars 0, 50, ... 950; a close every 100
    assert client.generate_data_report()["data"]["performance_metrics"]["number_of_trades"] > client.midway


def test_tick_replays_report_at_is_end_too():
    bids = [1.1000 + 0.0001 * (i % 37) for i in range(3000)]
    save_ticks("EURUSD", make_ticks("2024-01-02 00:00:00", bids, step_ms=1000))

    class TickTrader(mas):
        def __init__(self):
            super().__init__()
            self.count, self.report, self.ticks = 0, None, []

        def receive_ticks(self, symbol, data, is_end):
            self.ticks.append(data)
            self.count += 1
            if self.count % 100 == 1:
                side = "buy" if not self.get_positions() else "sell"
                extra = {"order_id": self.opened} if side == "sell" else {}
                order = self.send_order({"symbol": symbol, "order_type": side, "volume": 0.1, **extra,
                                         "backtest_toggle": True})
                if side == "buy":
                    self.opened = order
            if is_end:
                self.report = self.generate_data_report()

    client = TickTrader()
    client.subscribe_ticks({"symbol": "EURUSD", "from": "2024-01-02", "to": "2024-01-02", "model": "real_ticks",
                            "backtest_toggle": True})
    assert client.report["status"] is True
    assert client.report == client.generate_data_report()
    assert client.report["data"]["performance_metrics"]["number_of_trades"] == 15
    assert set(client.ticks[0]) == set(TICK_KEYS) and client.ticks[0]["symbol"] == "EURUSD"


def test_the_bar_dict_has_the_same_keys_and_types_as_a_live_bar():
    from mas.sessions.events import bar_from_row
    from mas.terminal.types import RATES_DTYPE

    client = EveryNBars(n=10_000)
    client.subscribe_bars({**YEAR, "to": "2017-01-10"})
    bar = client.bars[0]
    assert tuple(bar) == BAR_KEYS
    import numpy as np

    row = np.zeros(1, dtype=RATES_DTYPE)[0]
    row["time"], row["open"], row["high"], row["low"], row["close"] = 1483315200, 1.05, 1.06, 1.04, 1.055
    live = bar_from_row("EURUSD", row, "H1")
    assert tuple(live) == BAR_KEYS
    assert {k: type(v) for k, v in bar.items()} == {k: type(v) for k, v in live.items()}
    assert bar["symbol"] == "EURUSD" and bar["timeframe"] == "H1" and bar["volume"] == bar["tick_volume"]


def test_a_self_contained_report_carries_plotly_itself(tmp_path):
    client = EveryNBars(n=100)
    client.subscribe_bars({**YEAR, "to": "2017-03-31"})
    shared = client.generate_kpi_report({"report_dir": str(tmp_path / "shared")})
    alone = client.generate_kpi_report({"report_dir": str(tmp_path / "alone"), "self_contained": True})
    assert shared["status"] and alone["status"]
    assert [p.name.startswith("plotly") for p in (tmp_path / "shared").iterdir()].count(True) == 1
    assert not any(p.name.startswith("plotly") for p in (tmp_path / "alone").iterdir())
    assert Path(alone["path"]).stat().st_size > Path(shared["path"]).stat().st_size + 3_000_000
    assert client.generate_kpi_report({"self_contained": "yes"})["status"] is False
