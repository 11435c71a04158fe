"""A live terminal's ``last_error`` belongs to the thread that made the failed call.

MetaTrader5 (and ``mas sim serve``) keep one last error per connection. The deal poller calls the terminal from its
own thread every fraction of a second; before this was fixed, its successful call could land between the
strategy's failed ``symbol_info_tick`` and the strategy's ``last_error()``, and ``send_order`` then reported
"Success" for an order that was never sent (seen once in CI: ``send_order: Success``)."""

from __future__ import annotations

import threading
import time

from mas.live.terminal import LiveTerminal
from mas.terminal import constants as c


class OneErrorForEveryone:
    """A terminal with a single last error, as MetaTrader5 has: each call overwrites it."""

    def __init__(self) -> None:
        self.error: tuple[int, str] = (c.RES_S_OK, "Success")

    def symbol_info_tick(self, symbol: str) -> object | None:
        time.sleep(0)  # give the other thread its turn between the call and the reading of the error
        if symbol.startswith("NO"):
            self.error = (c.RES_E_NOT_FOUND, f"Symbol {symbol} not found")
            return None
        self.error = (c.RES_S_OK, "Success")
        return object()

    def last_error(self) -> tuple[int, str]:
        time.sleep(0)
        return self.error


def test_a_pollers_success_never_hides_the_strategys_failure():
    raw = OneErrorForEveryone()
    terminal = LiveTerminal(lambda: raw, account=1, server="Broker", kind="mt5")
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            terminal.symbol_info_tick("EURUSD")

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        seen = []
        for n in range(400):
            assert terminal.symbol_info_tick(f"NO{n}") is None
            seen.append(terminal.last_error())
    finally:
        stop.set()
        poller.join()
    assert seen == [(c.RES_E_NOT_FOUND, f"Symbol NO{n} not found") for n in range(400)]


def test_a_failure_is_kept_until_the_thread_calls_again():
    raw = OneErrorForEveryone()
    terminal = LiveTerminal(lambda: raw, account=1, server="Broker", kind="mt5")
    assert terminal.symbol_info_tick("NOPE") is None
    other: list[tuple[int, str]] = []
    worker = threading.Thread(target=lambda: (terminal.symbol_info_tick("EURUSD"), other.append(terminal.last_error())))
    worker.start()
    worker.join()
    assert other == [(c.RES_S_OK, "Success")]
    assert terminal.last_error() == (c.RES_E_NOT_FOUND, "Symbol NOPE not found")
    assert terminal.symbol_info_tick("EURUSD") is not None and terminal.last_error() == (c.RES_S_OK, "Success")
