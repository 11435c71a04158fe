"""One callback at a time: the lock that every live feed and the deal poller of a client share."""

from __future__ import annotations

import threading
from typing import Any

_CREATE = threading.Lock()


def callback_lock(client: Any) -> threading.RLock:
    """The client's callback lock (created on first use). Held while a ``receive_*`` callback runs,
    so user code never runs on two threads at once."""
    lock = client.__dict__.get("_live_callback_lock")
    if lock is None:
        with _CREATE:
            lock = client.__dict__.get("_live_callback_lock")
            if lock is None:
                lock = threading.RLock()
                client.__dict__["_live_callback_lock"] = lock
    return lock
