"""Live feeds: background threads poll the terminal and push only new completed bars / new ticks.

Each feed remembers the last bar time (or tick time and how many ticks it pushed at that
millisecond) and asks the terminal for everything after it, so a slow poll, a burst of bars
or a reconnect neither skips nor repeats anything: each bar and tick is pushed once, in order.
A bar is complete when a newer bar exists or the current tick is past its end. At start a
bar feed pushes the latest completed bar, a tick feed the current tick.

Callbacks of all feeds and of the deal poller of one strategy are delivered one at a time (the
live session's callback lock, :mod:`mas.live.dispatch`), so user code needs no locks of its own.
Feeds read the live session's terminal at each poll: they idle while disconnected and carry on after
a reconnect or ``switch_account``. The feeds belong to the live session (:mod:`mas.live.session`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mas import params as p
from mas.data.timeframes import TIMEFRAMES, timeframe_name, timeframe_seconds
from mas.sessions.events import bar_from_row, tick_from_row
from mas.terminal import constants as c

if TYPE_CHECKING:
    from mas.live.session import LiveSession

log = logging.getLogger("mas.live")
_BAR_WINDOW = 5000  # bars asked for per poll after the last one pushed
_TICK_WINDOW = 10000  # ticks asked for per poll


class Feed:
    """A polling thread; ``poll`` returns the callbacks to run, which run under the session's callback lock."""

    def __init__(self, session: LiveSession, key: tuple, interval_s: float,
                 poll: Callable[[Any], list[Callable[[], None]]]) -> None:
        self.session = session
        self.key = key
        self.interval_s = interval_s
        self._poll = poll
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"mas-feed-{'-'.join(map(str, key))}")

    def _run(self) -> None:
        session = self.session
        gate = session.dispatcher
        lock = gate.lock
        what = f"receive_{self.key[0]} (live feed {' '.join(str(k) for k in self.key[1:] if k)})"
        while not self.stop_event.is_set():
            terminal = session.terminal
            if terminal is not None:
                try:
                    pushes = self._poll(terminal)
                except Exception as exc:  # a feed must survive a bad poll; the error is reported
                    session.events.error(f"live feed {self.key[0]} {self.key[1]}: {exc}")
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
        """Stop polling; waits up to 5 s for the feed's thread unless called from it."""
        self.stop_event.set()
        if self.thread is not threading.current_thread():
            self.thread.join(timeout=5)


def completed_bars(rates: Any, now: int | None, bar_seconds: int) -> list:
    """The rows of ``rates`` that are complete: followed by a newer bar, or ended by ``now``."""
    if rates is None or len(rates) == 0:
        return []
    rows = list(rates)
    last = rows[-1]
    if now is None or int(last["time"]) + bar_seconds > now:
        rows = rows[:-1]
    return rows


def start_bar_feed(session: LiveSession, params: dict) -> None:
    """Poll every ``interval_ms`` and push each newly completed bar once, in order (the latest completed
    bar first, or every bar after ``after_time``, epoch seconds, when given)."""
    symbol = p.symbol_name(params)
    tf = timeframe_name(params.get("timeframe", "M1"))
    interval = p.number(params, "interval_ms", 1000, positive=True) / 1000
    key = ("bars", symbol, tf)
    feeds = session.feeds
    if key in feeds:
        return
    code, seconds = TIMEFRAMES[tf], timeframe_seconds(tf)
    # after a warm-up, continue right after the last bar it replayed (no bar skipped, none twice)
    after = params.get("after_time")
    state: dict[str, int | None] = {"last": int(after) if after is not None else None}
    events = session.events

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
            bar = bar_from_row(symbol, row, tf)
            pushes.append(lambda bar=bar: events.bar(symbol, bar, False))
        state["last"] = last
        return pushes

    feed = Feed(session, key, interval, poll)
    feeds[key] = feed
    feed.thread.start()


def warm_up(session: LiveSession, symbol: str, timeframe: str, count: int) -> int | None:
    """Replay the last ``count`` completed bars of the live terminal into ``receive_bars`` so the
    strategy's indicators are ready; every order sent meanwhile is refused (``send_order`` returns
    None) and nothing reaches the broker. Returns the last replayed bar's time (epoch seconds)."""
    terminal = session.terminal
    tf = timeframe_name(timeframe)
    tick = terminal.symbol_info_tick(symbol)
    now = int(tick.time) if tick is not None else None
    rows = completed_bars(terminal.copy_rates_from_pos(symbol, TIMEFRAMES[tf], 0, count + 1), now,
                          timeframe_seconds(tf))[-count:] if count > 0 else []
    session.warming_up = True
    try:
        for row in rows:
            session.events.bar(symbol, bar_from_row(symbol, row, tf), False)
    finally:
        session.warming_up = False
    return int(rows[-1]["time"]) if rows else None


def start_tick_feed(session: LiveSession, params: dict) -> None:
    """Poll every ``interval_ms`` and push each new tick once, in order (all ticks since the last
    poll where the terminal has them, else the current tick when it changed)."""
    symbol = p.symbol_name(params)
    interval = p.number(params, "interval_ms", 500, positive=True) / 1000
    flags = p.whole(params, "flags", c.COPY_TICKS_ALL) if params.get("flags") is not None else c.COPY_TICKS_ALL
    key = ("ticks", symbol, "")
    feeds = session.feeds
    events = session.events
    if key in feeds:
        return
    state = {"msc": None, "seen": 0}  # last tick time pushed, and how many ticks at that millisecond

    def push_for(tick: Any) -> Callable[[], None]:
        data = tick_from_row(symbol, tick)
        return lambda: events.tick(symbol, data, False)

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

    feed = Feed(session, key, interval, poll)
    feeds[key] = feed
    feed.thread.start()


def stop_feed(session: LiveSession, kind: str, symbol: str, timeframe: str) -> None:
    """Stop the feeds of ``kind`` for ``symbol`` (one timeframe, or all when ``timeframe`` is empty)."""
    feeds = session.feeds
    for key in [k for k in feeds if k[0] == kind and k[1] == symbol and (not timeframe or k[2] == timeframe)]:
        feeds.pop(key).stop()


def stop_all_feeds(session: LiveSession) -> None:
    """Stop every feed of the session."""
    feeds = session.feeds
    for key in list(feeds):
        feeds.pop(key).stop()
