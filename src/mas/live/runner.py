"""``mas live``: one strategy trading live on a broker profile's account until it is stopped.

The strategy is switched to live mode by setting ``strategy.backtest_toggle = False``: the
built-ins and compiled specs send every order with ``"backtest_toggle": self.backtest_toggle``,
and a strategy of your own must do the same to trade live (an order it sends with ``True`` goes
to a simulated account, never to the broker). Before the live feed starts, the last
``warmup_bars`` completed bars of the live terminal are replayed into ``receive_bars`` so that
indicators are ready; every order the strategy sends during that warm-up is refused
(``send_order`` returns None) and nothing is sent. The feed then continues right after them.

A status line (UTC time, equity, open positions, pending orders, bars and fills received, the
callbacks that raised, the last bar) is printed at start, every ``status_every`` seconds and at
the end. A callback that raises is logged with its traceback and counted; its event is not
delivered again and the strategy keeps receiving the next ones (:mod:`mas.live.dispatch`). Stopping (Ctrl-C,
SIGTERM) stops the feeds, the fill poller and the terminal; open positions and pending orders
stay on the account.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from mas.client import MAS, state_of
from mas.i18n.errors import Text


class LiveRunError(Exception):
    """The strategy could not start trading live (login refused, no feed)."""


_EPOCH = datetime(1970, 1, 1)


@dataclass
class LiveTally:
    """What the strategy received while running live."""

    bars: int = 0
    fills: int = 0
    last_bar: dict | None = None


def make_live(strategy: MAS) -> LiveTally:
    """Put ``strategy`` in live mode and count the bars and fills it receives (its callbacks run as before)."""
    strategy.backtest_toggle = False  # type: ignore[attr-defined]
    tally = LiveTally()
    receive_bars, receive_execution = strategy.receive_bars, strategy.receive_order_execution

    def counted_bar(symbol: str, data: dict, is_end: bool) -> None:
        tally.bars += 1
        tally.last_bar = data
        receive_bars(symbol, data, is_end)

    def counted_fill(order_id: str, execution_data: dict) -> None:
        tally.fills += 1
        receive_execution(order_id, execution_data)

    strategy.receive_bars = counted_bar  # type: ignore[method-assign]
    strategy.receive_order_execution = counted_fill  # type: ignore[method-assign]
    return tally


def callback_errors(strategy: MAS) -> int:
    """How many live callbacks of ``strategy`` raised (logged, not redelivered) since it was created."""
    live = state_of(strategy).live
    return live.callback_errors if live is not None else 0


def status_line(strategy: MAS, tally: LiveTally) -> Text:
    """One line: UTC time, equity, positions, pending orders, bars, fills, callback errors and the last bar (a
    :class:`~mas.i18n.errors.Text`: English as a ``str``, any language by ``localize``)."""
    now = datetime.now(timezone.utc)
    info = strategy.get_account_info()
    if "error" in info:
        account = Text("live_status_no_account", error=info["error"])
    else:
        account = Text("live_status_account", equity=float(info["equity"]), currency=info["currency"],
                       positions=len(strategy.get_positions()), pending=len(strategy.get_pending_orders()))
    bar = tally.last_bar
    last = (Text("live_status_last_bar", time=f"{bar['time']:%Y-%m-%d %H:%M}", close=f"{bar['close']:g}")
            if bar is not None else Text("live_status_no_bar"))
    return Text("live_status", time=f"{now:%Y-%m-%d %H:%M:%S}", account=account, bars=tally.bars, fills=tally.fills,
                errors=callback_errors(strategy), last=last)


@contextmanager
def stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C and SIGTERM set ``stop`` instead of killing the program (main thread only)."""
    names = [s for s in ("SIGINT", "SIGTERM") if hasattr(signal, s)]
    previous = {name: signal.signal(getattr(signal, name), lambda *_: stop.set()) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def run_live(strategy: MAS, profile: str, symbol: str, timeframe: str, interval_ms: int, status_every: float,
             stop: threading.Event, echo: Callable[[str], None], warmup_bars: int = 0) -> None:
    """Log in with ``profile``, feed ``strategy`` live bars and print its status until ``stop`` is set;
    then shut everything down. Each line given to ``echo`` is a :class:`~mas.i18n.errors.Text` (a ``str``, in
    English). Raises :class:`LiveRunError` when it cannot start."""
    tally = make_live(strategy)
    if not strategy.login({"profile": profile}):
        raise LiveRunError(Text("live_login_failed", profile=profile, error=strategy.last_error()[1]))
    try:
        live = state_of(strategy).live_session()
        terminal = live.terminal
        guards: str = terminal.guards.describe() if terminal.guards is not None else "none"
        if guards == "none":  # no limits set: the word in the run's language
            guards = Text("live_guards_none")
        echo(Text("live_run_started", strategy=type(strategy).__name__, symbol=symbol, timeframe=timeframe,
                  profile=profile, account=terminal.account, server=terminal.server, guards=guards))
        if terminal.symbol_info(symbol) is None:
            raise LiveRunError(Text("live_symbol_not_offered", symbol=symbol, server=terminal.server,
                                    error=terminal.last_error()[1]))
        terminal.symbol_select(symbol, True)
        after = live.warm_up(symbol, timeframe, warmup_bars)
        if warmup_bars:
            until = _EPOCH + timedelta(seconds=after) if after is not None else Text("live_warm_up_no_bar")
            echo(Text("live_warm_up", bars=warmup_bars, until=until))
        strategy.subscribe_bars({"symbol": symbol, "timeframe": timeframe, "interval_ms": interval_ms,
                                 "after_time": after, "backtest_toggle": False})
        echo(status_line(strategy, tally))
        while not stop.wait(status_every):
            echo(status_line(strategy, tally))
        strategy.stop_all_subscriptions()
        echo(Text("live_status_final", line=status_line(strategy, tally)))
    finally:
        strategy.stop_all_subscriptions()
        strategy.shutdown_mt5()
    echo(Text("live_stopped"))
