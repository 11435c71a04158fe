"""Live feeds and reconnects against the sim server: each bar and tick once, in order, no gaps."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from mas.data.store import load_bars

from .conftest import START, sim_login, wait_until
from .test_live_trading import Trader

_EPOCH = datetime(1970, 1, 1)


def data_times(first: datetime, count: int) -> list[datetime]:
    """The stored H1 bar times from ``first`` on: what a gapless feed must deliver."""
    times = load_bars("EURUSD", "H1", START).rates["time"].tolist()
    stamps = [_EPOCH + timedelta(seconds=t) for t in times]
    at = stamps.index(first)
    return stamps[at: at + count]


def assert_contiguous(bars: list[dict]) -> None:
    times = [b["time"] for b in bars]
    assert times == data_times(times[0], len(times)), "bars skipped, repeated or out of order"


def feed_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("mas-feed-")]


def test_bars_and_ticks_arrive_once_each_in_order_one_callback_at_a_time(start_server):
    server = start_server(speed=3600 * 50)
    trader = Trader(hold_s=0.004)
    assert trader.login(sim_login(server.port))
    trader.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "interval_ms": 45, "backtest_toggle": False})
    trader.subscribe_ticks({"symbol": "EURUSD", "interval_ms": 25, "backtest_toggle": False})
    assert wait_until(lambda: len(trader.bars) >= 60, timeout=8)
    trader.unsubscribe_bars({"symbol": "EURUSD", "timeframe": "H1"})
    count = len(trader.bars)
    assert_contiguous(trader.bars)
    assert all(set(b) >= {"time", "open", "high", "low", "close", "volume", "timeframe"} for b in trader.bars)
    tick_times = [t["time"] for t in trader.ticks]
    assert len(tick_times) >= 30 and tick_times == sorted(set(tick_times))
    # the sim server's ticks are the quotes at each bar's close: none missing between the first and the last
    assert [t - timedelta(hours=1) for t in tick_times] == data_times(tick_times[0] - timedelta(hours=1),
                                                                      len(tick_times))
    time.sleep(0.3)
    assert len(trader.bars) == count
    trader.stop_all_subscriptions()
    assert feed_threads() == []
    settled = len(trader.ticks)
    time.sleep(0.2)
    assert len(trader.ticks) == settled
    assert trader.overlaps == 0
    trader.shutdown_mt5()


def test_the_client_reconnects_after_a_server_restart_without_gaps(server_process, tmp_path):
    state = tmp_path / "sim-state.sqlite"
    first = server_process(state=state, speed=3600 * 10)
    trader = Trader()
    assert trader.login(sim_login(first.port, timeout=1500))
    order_id = trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.3, "backtest_toggle": False})
    assert order_id is not None
    trader.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "interval_ms": 30, "backtest_toggle": False})
    assert wait_until(lambda: len(trader.bars) >= 5 and len(trader.executions) == 1)

    first.kill()  # no goodbye: SIGKILL
    assert wait_until(lambda: trader.check_connection() is False, timeout=5)
    assert trader.get_positions() == [] and trader.get_account_info().keys() == {"error"}
    seen_while_down = len(trader.bars)

    second = server_process(port=first.port, state=state, speed=3600 * 10)
    assert second.port == first.port
    assert wait_until(trader.check_connection, timeout=8), trader.last_error()
    assert wait_until(lambda: len(trader.bars) >= seen_while_down + 5, timeout=8)
    positions = trader.get_positions()
    assert [(p["ticket"], p["volume"]) for p in positions] == [(int(order_id), 0.3)]
    assert_contiguous(trader.bars)
    assert len(trader.executions) == 1  # the fill before the restart is not pushed again
    trader.stop_all_subscriptions()
    trader.shutdown_mt5()
    second.terminate()
