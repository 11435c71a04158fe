"""Backtests as background jobs: a small thread pool whose every job is a run in the :class:`~mas.web.store.Store`.

A job's state lives in the store (queued, running, done, failed, cancelled), so it survives the process and
every reader sees the same answer. Cancelling a queued job means it never starts; cancelling a running one
marks it cancelled at once and the page stops waiting, but the engine has no stop hook: the worker thread
finishes that replay and its result is thrown away (the store refuses running -> done once cancelled).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from mas.web.store import Store

__all__ = ["JobRunner", "user_message"]

log = logging.getLogger("mas.web")

_USER_ERRORS = (ValueError, LookupError, TypeError, OSError, ArithmeticError)


def user_message(exc: BaseException) -> str:
    """What a failed run shows: the message of an error about the input or data, else its type and message."""
    text = str(exc).strip() or type(exc).__name__
    return text if isinstance(exc, _USER_ERRORS) else f"{type(exc).__name__}: {text}"


class JobRunner:
    """Runs ``work()`` callables for runs of ``store`` on ``workers`` threads."""

    def __init__(self, store: Store, workers: int = 2, owner: str | None = None) -> None:
        self.store, self.owner = store, owner
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mas-web-job")
        self._futures: dict[str, Future[None]] = {}
        self._lock = threading.Lock()

    def submit(self, label: str, request: dict[str, Any], work: Callable[[], dict[str, Any]]) -> str:
        """Queue ``work`` (returns the result document) as a new run; its id."""
        ident = self.store.add_run(label, request, self.owner)
        future = self._pool.submit(self._run, ident, work)
        with self._lock:
            self._futures[ident] = future
        future.add_done_callback(lambda _f: self._forget(ident))
        return ident

    def _forget(self, ident: str) -> None:
        with self._lock:
            self._futures.pop(ident, None)

    def _run(self, ident: str, work: Callable[[], dict[str, Any]]) -> None:
        if not self.store.start_run(ident):
            return  # cancelled while queued
        try:
            document = work()
        except Exception as exc:  # noqa: BLE001 - a run's failure is its result, shown on the page
            log.warning("run %s failed: %s", ident, exc, exc_info=not isinstance(exc, _USER_ERRORS))
            self.store.fail_run(ident, user_message(exc))
            return
        if not self.store.finish_run(ident, document):
            log.info("run %s was cancelled; its result is discarded", ident)

    def cancel(self, ident: str) -> bool:
        """Mark the run cancelled (a queued one never starts); False when it had already ended."""
        with self._lock:
            future = self._futures.get(ident)
        if future is not None:
            future.cancel()  # only succeeds while queued; a running replay finishes and is discarded
        return self.store.cancel_run(ident)

    def active(self) -> int:
        """How many jobs are queued or running in this process."""
        with self._lock:
            return len(self._futures)

    def shutdown(self) -> None:
        """Stop taking jobs; queued ones are dropped (marked failed at the next start)."""
        self._pool.shutdown(wait=False, cancel_futures=True)
