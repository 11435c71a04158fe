"""Delivering live callbacks: one at a time per strategy, and a callback that raises is reported, never retried.

Every live feed, the deal poller and ``send_order``'s own fill run the strategy's ``receive_*``
callbacks through :meth:`Dispatcher.deliver`, under the live session's callback lock (so user code never
runs on two threads at once), and with any exception the callback raises logged with its traceback and
counted (:attr:`Dispatcher.errors`; ``mas live`` shows the count in its status line). The event is then
done: it is never delivered again, and the events after it keep flowing. Each live session
(:class:`mas.live.session.LiveSession`) has one dispatcher for as long as it lives.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("mas.live")


class Dispatcher:
    """The callback lock of one live session and the count of callbacks that raised."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._count_lock = threading.Lock()
        self.errors = 0

    def deliver(self, what: str, callback: Callable[..., Any], *args: Any) -> bool:
        """Run ``callback(*args)`` (the caller holds :attr:`lock`); False when it raised (logged and counted)."""
        try:
            callback(*args)
        except Exception:  # user code: reported, and the event is not delivered again
            with self._count_lock:
                self.errors += 1
                count = self.errors
            log.exception("%s raised; it will not be delivered again (%d callback error(s) so far)", what, count)
            return False
        return True

