"""Live feeds: background threads poll the terminal and push only new completed bars / new ticks.

Callbacks from all feeds of one client are delivered one at a time (a per-client lock),
so user code needs no locks of its own.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.data.timeframes import TIMEFRAMES, timeframe_name

if TYPE_CHECKING:
    from mas.client import MAS

_EPOCH = datetime(1970, 1, 1)


class _Feed:
    def __init__(self, client: MAS, key: tuple, interval_s: float, poll: Any) -> None:
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(client, interval_s, poll), daemon=True,
                                       name=f"mas-feed-{'-'.join(map(str, key))}")

    def _run(self, client: MAS, interval_s: float, poll: Any) -> None:
        while not self.stop_event.is_set():
            try:
                poll()
            except Exception as exc:  # a feed must survive a bad poll; the error is reported
                client._error(f"live feed: {exc}")
            self.stop_event.wait(interval_s)


def _registry(client: MAS) -> tuple[dict, threading.RLock]:
    if not hasattr(client, "_feeds"):
        client._feeds = {}
        client._callback_lock = threading.RLock()
    return client._feeds, client._callback_lock


def start_bar_feed(client: MAS, params: dict) -> None:
    """Poll ``copy_rates_from_pos`` every ``interval_ms`` and push each newly completed bar once."""
    symbol = p.symbol_name(params)
    tf = timeframe_name(params.get("timeframe", "M1"))
    interval = p.number(params, "interval_ms", 1000, positive=True) / 1000
    feeds, lock = _registry(client)
    key = ("bars", symbol, tf)
    if key in feeds:
        return
    terminal = client._live
    last_sent = {"time": None}

    def poll() -> None:
        rates = terminal.copy_rates_from_pos(symbol, TIMEFRAMES[tf], 0, 3)
        if rates is None or len(rates) < 2:
            return
        completed = rates[:-1]  # the newest bar is still forming
        for row in completed:
            stamp = int(row["time"])
            if last_sent["time"] is not None and stamp <= last_sent["time"]:
                continue
            first = last_sent["time"] is None
            last_sent["time"] = stamp
            if first and stamp != int(completed[-1]["time"]):
                continue  # on start, push only the latest completed bar
            bar = {"time": _EPOCH + timedelta(seconds=stamp), "open": float(row["open"]),
                   "high": float(row["high"]), "low": float(row["low"]), "close": float(row["close"]),
                   "volume": int(row["tick_volume"]), "timeframe": tf, "tick_volume": int(row["tick_volume"]),
                   "spread": int(row["spread"])}
            with lock:
                client.receive_bars(symbol, bar, False)

    feed = _Feed(client, key, interval, poll)
    feeds[key] = feed
    feed.thread.start()


def start_tick_feed(client: MAS, params: dict) -> None:
    """Poll ``symbol_info_tick`` every ``interval_ms`` and push each new tick once."""
    symbol = p.symbol_name(params)
    interval = p.number(params, "interval_ms", 500, positive=True) / 1000
    feeds, lock = _registry(client)
    key = ("ticks", symbol, "")
    if key in feeds:
        return
    terminal = client._live
    last = {"msc": None}

    def poll() -> None:
        tick = terminal.symbol_info_tick(symbol)
        if tick is None or tick.time_msc == last["msc"]:
            return
        last["msc"] = tick.time_msc
        data = {"time": _EPOCH + timedelta(milliseconds=int(tick.time_msc)), "bid": float(tick.bid),
                "ask": float(tick.ask), "last": float(tick.last), "volume": int(tick.volume)}
        with lock:
            client.receive_ticks(symbol, data, False)

    feed = _Feed(client, key, interval, poll)
    feeds[key] = feed
    feed.thread.start()


def stop_feed(client: MAS, kind: str, symbol: str, timeframe: str) -> None:
    feeds, _ = _registry(client)
    for key in [k for k in feeds if k[0] == kind and k[1] == symbol and (not timeframe or k[2] == timeframe)]:
        feed = feeds.pop(key)
        feed.stop_event.set()
        feed.thread.join(timeout=5)


def stop_all_feeds(client: MAS) -> None:
    feeds, _ = _registry(client)
    for key in list(feeds):
        feed = feeds.pop(key)
        feed.stop_event.set()
        feed.thread.join(timeout=5)
