"""Delivering live callbacks: one at a time per client, and a callback that raises is reported, never retried.

Every live feed, the deal poller and ``send_order``'s own fill run the client's ``receive_*``
callbacks through :meth:`Dispatcher.deliver`, under the client's callback lock (so user code never runs on
two threads at once), and with any exception the callback raises logged with its traceback and
counted (:func:`callback_errors`; ``mas live`` shows the count in its status line). The event
is then done: it is never delivered again, and the events after it keep flowing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger("mas.live")

_CREATE = threading.Lock()


class Dispatcher:
    """The callback lock of one client and the count of callbacks that raised."""

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


def dispatcher(client: Any) -> Dispatcher:
    """The client's dispatcher (created on first use)."""
    found = client.__dict__.get("_live_dispatcher")
    if found is None:
        with _CREATE:
            found = client.__dict__.get("_live_dispatcher")
            if found is None:
                found = Dispatcher()
                client.__dict__["_live_dispatcher"] = found
    return found


def callback_lock(client: Any) -> threading.RLock:
    """The client's callback lock: held while a ``receive_*`` callback runs."""
    return dispatcher(client).lock


def callback_errors(client: Any) -> int:
    """How many live callbacks of ``client`` raised since it was created."""
    found = client.__dict__.get("_live_dispatcher")
    return found.errors if found is not None else 0
