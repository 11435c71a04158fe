"""Backtests as background jobs: a small thread pool whose every job is a run in the :class:`~mas.web.store.Store`.

A job's state lives in the store (queued, running, done, failed, cancelled), so it survives the process and
every reader sees the same answer. A job that takes a :class:`JobControl` reports its progress there (bars done
out of the total, kept in memory by this process) and stops when it sees ``control.cancelled`` (a backtest
checks it at every bar: see :func:`mas.web.services.backtest_job`; a fast-path job runs in a worker process that
its thread ends when it sees the request, :mod:`mas.web.worker`). Cancelling a queued job means it never
starts; cancelling a running one marks it cancelled at once and sets its control, and a result that still
arrives is thrown away (the store refuses running -> done once cancelled). :meth:`JobRunner.wait` lets a reader
(the page's long poll) learn the end at once; :meth:`JobRunner.shutdown` (the app stopping) marks the unfinished
jobs failed and stops them without waiting for them.
"""

from __future__ import annotations

import contextvars
import inspect
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from mas.web.language import said
from mas.web.store import INTERRUPTED, DocumentText, Store

__all__ = ["JobCancelled", "JobControl", "JobRunner", "user_message"]

log = logging.getLogger("mas.web")

_USER_ERRORS = (ValueError, LookupError, TypeError, OSError, ArithmeticError)


class JobCancelled(Exception):
    """Raised inside a job that saw its cancel request; the run is already marked cancelled."""


class JobControl:
    """What a running job and its readers share: the progress (``done`` of ``total`` steps, ``total`` None when
    unknown; ``phase`` names the step, e.g. ``bars``) and the cancel request."""

    def __init__(self) -> None:
        self.done = 0
        self.total: int | None = None
        self.phase = ""
        self.cancelled = threading.Event()
        self.ended = threading.Event()
        """Set once the job has left its thread (its end state is in the store by then)."""

    def report(self, done: int, total: int | None = None, phase: str | None = None) -> None:
        """Record the progress (the job's own thread calls it; readers see plain attribute values)."""
        self.done = done
        if total is not None:
            self.total = total
        if phase is not None:
            self.phase = phase

    def check(self) -> None:
        """Raise :class:`JobCancelled` when the job was asked to stop."""
        if self.cancelled.is_set():
            raise JobCancelled

    def view(self) -> dict[str, Any]:
        """The progress as the API returns it."""
        return {"done": self.done, "total": self.total, "phase": self.phase}


def _takes_control(work: Callable[..., Any]) -> bool:
    try:
        return len(inspect.signature(work).parameters) >= 1
    except (TypeError, ValueError):
        return False


def user_message(exc: BaseException) -> str:
    """What a failed run shows: the message of an error about the input or data, else its type and message."""
    text = said(exc).strip() or type(exc).__name__
    return text if isinstance(exc, _USER_ERRORS) else f"{type(exc).__name__}: {text}"


class JobRunner:
    """Runs ``work()`` (or ``work(control)``) callables for runs of ``store`` on ``workers`` threads."""

    def __init__(self, store: Store, workers: int = 2, owner: str | None = None) -> None:
        self.store, self.owner = store, owner
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mas-web-job")
        self._futures: dict[str, Future[None]] = {}
        self._controls: dict[str, JobControl] = {}
        self._lock = threading.Lock()

    def submit(self, label: str, request: dict[str, Any], work: Callable[..., dict[str, Any] | DocumentText]) -> str:
        """Queue ``work`` (returns the result document, or its :class:`~mas.web.store.DocumentText`; given a
        :class:`JobControl` when it takes an argument) as a new run; its id."""
        ident = self.store.add_run(label, request, self.owner)
        control = JobControl()
        with self._lock:
            self._controls[ident] = control
            # the job runs in a copy of the request's context: its errors are said in the request's language
            future = self._pool.submit(contextvars.copy_context().run, self._run, ident, work, control)
            self._futures[ident] = future
        future.add_done_callback(lambda _f: self._forget(ident))
        return ident

    def _forget(self, ident: str) -> None:
        with self._lock:
            self._futures.pop(ident, None)
            self._controls.pop(ident, None)

    def progress(self, ident: str) -> dict[str, Any] | None:
        """The progress of a job of this process that is queued or running, else None."""
        with self._lock:
            control = self._controls.get(ident)
        return None if control is None else control.view()

    def _run(self, ident: str, work: Callable[..., dict[str, Any] | DocumentText], control: JobControl) -> None:
        try:
            self._run_job(ident, work, control)
        finally:
            control.ended.set()

    def _run_job(self, ident: str, work: Callable[..., dict[str, Any] | DocumentText], control: JobControl) -> None:
        if control.cancelled.is_set() or not self.store.start_run(ident):
            return  # cancelled while queued, or the app is stopping
        try:
            document = work(control) if _takes_control(work) else work()
        except JobCancelled:
            log.info("run %s stopped on its cancel request", ident)
            return
        except Exception as exc:  # noqa: BLE001 - a run's failure is its result, shown on the page
            log.warning("run %s failed: %s", ident, exc, exc_info=not isinstance(exc, _USER_ERRORS))
            self.store.fail_run(ident, user_message(exc))
            return
        if not self.store.finish_run(ident, document):
            log.info("run %s was cancelled; its result is discarded", ident)

    def wait(self, ident: str, timeout: float) -> bool:
        """Wait until job ``ident`` of this process ends, at most ``timeout`` seconds; False at once when it is not
        a job of this process (it ended already, or another app process runs it)."""
        with self._lock:
            control = self._controls.get(ident)
        if control is None:
            return False
        control.ended.wait(timeout)
        return True

    def cancel(self, ident: str) -> bool:
        """Mark the run cancelled (a queued one never starts); False when it had already ended."""
        with self._lock:
            future = self._futures.get(ident)
            control = self._controls.get(ident)
        if future is not None:
            future.cancel()  # only succeeds while queued
        cancelled = self.store.cancel_run(ident)
        if control is not None:
            control.cancelled.set()  # a running replay stops at its next bar
        return cancelled

    def active(self) -> int:
        """How many jobs are queued or running in this process."""
        with self._lock:
            return len(self._futures)

    def shutdown(self) -> None:
        """The app is stopping: take no more jobs, mark the queued and running ones failed (the app stopped: run it
        again) and stop them: a worker process is ended at its next cancel check, a replay at its next bar."""
        with self._lock:
            controls = list(self._controls.items())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for ident, control in controls:
            if self.store.fail_run(ident, INTERRUPTED):
                log.info("run %s stopped: the app is stopping", ident)
            control.cancelled.set()
