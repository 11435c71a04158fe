"""Live feeds: background threads poll the terminal and push only new completed bars / new ticks.

Each feed remembers the last bar time (or tick time and how many ticks it pushed at that
millisecond) and asks the terminal for everything after it, so a slow poll, a burst of bars
or a reconnect neither skips nor repeats anything: each bar and tick is pushed once, in order.
A bar is complete when a newer bar exists or the current tick is past its end. At start a
bar feed pushes the latest completed bar, a tick feed the current tick.

Callbacks of all feeds and of the deal poller of one client are delivered one at a time (the
client's callback lock, :mod:`mas.live.dispatch`), so user code needs no locks of its own.
Feeds read ``client._live`` at each poll: they idle while disconnected and carry on after a
reconnect or ``switch_account``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.data.timeframes import TIMEFRAMES, timeframe_name, timeframe_seconds
from mas.live.dispatch import dispatcher
from mas.terminal import constants as c
from mas.terminal.feed import bar_dict, tick_dict

if TYPE_CHECKING:
    from mas.client import MAS

log = logging.getLogger("mas.live")
_EPOCH = datetime(1970, 1, 1)
_BAR_WINDOW = 5000  # bars asked for per poll after the last one pushed
_TICK_WINDOW = 10000  # ticks asked for per poll


class Feed:
    """A polling thread; ``poll`` returns the callbacks to run, which run under the client's lock."""

    def __init__(self, client: MAS, key: tuple, interval_s: float, poll: Callable[[Any], list[Callable[[], None]]]
                 ) -> None:
        self.client = client
        self.key = key
        self.interval_s = interval_s
        self._poll = poll
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"mas-feed-{'-'.join(map(str, key))}")

    def _run(self) -> None:
        gate = dispatcher(self.client)
        lock = gate.lock
        what = f"receive_{self.key[0]} (live feed {' '.join(str(k) for k in self.key[1:] if k)})"
        while not self.stop_event.is_set():
            terminal = self.client._live
            if terminal is not None:
                try:
                    pushes = self._poll(terminal)
                except Exception as exc:  # a feed must survive a bad poll; the error is reported
                    self.client._error(f"live feed {self.key[0]} {self.key[1]}: {exc}")
                    pushes = []
                for push in pushes:
                    while not lock.acquire(timeout=0.1):
                        if self.stop_event.is_set():
                            return
                    try:
                        if self.stop_event.is_set():
                            return
                        gate.deliver(what, push)  # one that raises is logged and counted, not retried
                    finally:
                        lock.release()
            self.stop_event.wait(self.interval_s)

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not threading.current_thread():
            self.thread.join(timeout=5)


def _feeds(client: MAS) -> dict[tuple, Feed]:
    feeds = client.__dict__.get("_live_feeds")
    if feeds is None:
        feeds = client.__dict__.setdefault("_live_feeds", {})
    return feeds


def _bar_dict(symbol: str, row: Any, tf: str) -> dict:
    """A terminal's rates row as ``receive_bars`` gets it (the same dict as in a backtest)."""
    return bar_dict(symbol, tf, _EPOCH + timedelta(seconds=int(row["time"])), float(row["open"]), float(row["high"]),
                    float(row["low"]), float(row["close"]), int(row["tick_volume"]), int(row["spread"]),
                    int(row["real_volume"]))


def _tick_dict(symbol: str, tick: Any) -> dict:
    """A terminal's tick row as ``receive_ticks`` gets it (the same dict as in a backtest)."""
    msc = int(tick["time_msc"])
    return tick_dict(symbol, _EPOCH + timedelta(milliseconds=msc), float(tick["bid"]), float(tick["ask"]),
                     float(tick["last"]), int(tick["volume"]), msc, int(tick["flags"]), float(tick["volume_real"]))


def completed_bars(rates: Any, now: int | None, bar_seconds: int) -> list:
    """The rows of ``rates`` that are complete: followed by a newer bar, or ended by ``now``."""
    if rates is None or len(rates) == 0:
        return []
    rows = list(rates)
    last = rows[-1]
    if now is None or int(last["time"]) + bar_seconds > now:
        rows = rows[:-1]
    return rows


def start_bar_feed(client: MAS, params: dict) -> None:
    """Poll every ``interval_ms`` and push each newly completed bar once, in order (the latest completed
    bar first, or every bar after ``after_time``, epoch seconds, when given)."""
    symbol = p.symbol_name(params)
    tf = timeframe_name(params.get("timeframe", "M1"))
    interval = p.number(params, "interval_ms", 1000, positive=True) / 1000
    key = ("bars", symbol, tf)
    feeds = _feeds(client)
    if key in feeds:
        return
    code, seconds = TIMEFRAMES[tf], timeframe_seconds(tf)
    # after a warm-up, continue right after the last bar it replayed (no bar skipped, none twice)
    after = params.get("after_time")
    state: dict[str, int | None] = {"last": int(after) if after is not None else None}

    def poll(terminal: Any) -> list[Callable[[], None]]:
        tick = terminal.symbol_info_tick(symbol)
        now = int(tick.time) if tick is not None else None
        last = state["last"]
        if last is None:
            rows = completed_bars(terminal.copy_rates_from_pos(symbol, code, 0, 2), now, seconds)[-1:]
        else:
            rows = completed_bars(terminal.copy_rates_range(symbol, code, last + 1, last + seconds * _BAR_WINDOW),
                                  now, seconds)
        pushes = []
        for row in rows:
            stamp = int(row["time"])
            if last is not None and stamp <= last:
                continue
            last = stamp
            bar = _bar_dict(symbol, row, tf)
            pushes.append(lambda bar=bar: client.receive_bars(symbol, bar, False))
        state["last"] = last
        return pushes

    feed = Feed(client, key, interval, poll)
    feeds[key] = feed
    feed.thread.start()


def warm_up(client: MAS, symbol: str, timeframe: str, count: int) -> int | None:
    """Replay the last ``count`` completed bars of the live terminal into ``receive_bars`` so the
    strategy's indicators are ready; every order sent meanwhile is refused (``send_order`` returns
    None) and nothing reaches the broker. Returns the last replayed bar's time (epoch seconds)."""
    terminal = client._live
    tf = timeframe_name(timeframe)
    tick = terminal.symbol_info_tick(symbol)
    now = int(tick.time) if tick is not None else None
    rows = completed_bars(terminal.copy_rates_from_pos(symbol, TIMEFRAMES[tf], 0, count + 1), now,
                          timeframe_seconds(tf))[-count:] if count > 0 else []
    client._warming_up = True
    try:
        for row in rows:
            client.receive_bars(symbol, _bar_dict(symbol, row, tf), False)
    finally:
        client._warming_up = False
    return int(rows[-1]["time"]) if rows else None


def start_tick_feed(client: MAS, params: dict) -> None:
    """Poll every ``interval_ms`` and push each new tick once, in order (all ticks since the last
    poll where the terminal has them, else the current tick when it changed)."""
    symbol = p.symbol_name(params)
    interval = p.number(params, "interval_ms", 500, positive=True) / 1000
    flags = p.whole(params, "flags", c.COPY_TICKS_ALL) if params.get("flags") is not None else c.COPY_TICKS_ALL
    key = ("ticks", symbol, "")
    feeds = _feeds(client)
    if key in feeds:
        return
    state = {"msc": None, "seen": 0}  # last tick time pushed, and how many ticks at that millisecond

    def push_for(tick: Any) -> Callable[[], None]:
        data = _tick_dict(symbol, tick)
        return lambda: client.receive_ticks(symbol, data, False)

    def poll(terminal: Any) -> list[Callable[[], None]]:
        msc = state["msc"]
        if msc is None:
            tick = terminal.symbol_info_tick(symbol)
            if tick is None:
                return []
            state["msc"], state["seen"] = int(tick.time_msc), 1
            return [push_for(tick._asdict())]
        ticks = terminal.copy_ticks_from(symbol, msc // 1000, _TICK_WINDOW, flags)
        if ticks is None:
            tick = terminal.symbol_info_tick(symbol)
            ticks = [tick._asdict()] if tick is not None else []
        pushes = []
        skip = state["seen"]
        for row in ticks:
            stamp = int(row["time_msc"])
            if stamp < msc:
                continue
            if stamp == msc:
                if skip > 0:
                    skip -= 1
                    continue
                state["seen"] += 1
            else:
                msc, skip = stamp, 0
                state["msc"], state["seen"] = stamp, 1
            pushes.append(push_for(row))
        return pushes

    feed = Feed(client, key, interval, poll)
    feeds[key] = feed
    feed.thread.start()


def stop_feed(client: MAS, kind: str, symbol: str, timeframe: str) -> None:
    """Stop the feeds of ``kind`` for ``symbol`` (one timeframe, or all when ``timeframe`` is empty)."""
    feeds = _feeds(client)
    for key in [k for k in feeds if k[0] == kind and k[1] == symbol and (not timeframe or k[2] == timeframe)]:
        feeds.pop(key).stop()


def stop_all_feeds(client: MAS) -> None:
    feeds = _feeds(client)
    for key in list(feeds):
        feeds.pop(key).stop()
