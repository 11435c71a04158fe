"""Work that cancel must stop at once, run in a child process that can be ended: the fast path's backtests and the
sweeps, whose engine (:mod:`mas.vector`) has no stop hook inside one call.

:func:`run_in_worker` starts one process per job (forked from a ``forkserver`` that has imported the engines once,
so a job starts in about 0.2 s), passes it the job's plain JSON request and this process's environment, relays
its progress messages, and polls ``check()`` (which raises when the job was cancelled) between them; then the
child is terminated and nothing of it is kept. The child only runs one of the functions named in ``_TARGETS``
(passed by reference: the child imports its module).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any

from mas.i18n.errors import Text

__all__ = ["WorkerDied", "prestart", "run_in_worker", "running", "stop_all"]

log = logging.getLogger("mas.web")
POLL = 0.05
"""Seconds between two cancel checks while a child runs."""
_TARGETS = frozenset({"mas.web.services:fast_backtest_in_worker", "mas.web.optimizing:sweep_in_worker"})
_PRELOAD = ["mas.app", "mas.web.services", "mas.web.optimizing", "mas.vector.engine", "mas.vector.kernel"]
_running: set[Any] = set()
_lock = threading.Lock()
_context: Any = None


class WorkerDied(RuntimeError):
    """The child process ended without an answer (killed, out of memory, a crash in native code)."""


def _ctx() -> Any:
    global _context
    with _lock:
        if _context is None:
            methods = multiprocessing.get_all_start_methods()
            if "forkserver" in methods:
                _context = multiprocessing.get_context("forkserver")
                _context.set_forkserver_preload(_PRELOAD)
            else:  # pragma: no cover - Windows: a fresh interpreter per job
                _context = multiprocessing.get_context("spawn")
        return _context


def _child(conn: Any, target: Callable[..., Any], payload: Any, environ: dict[str, str]) -> None:
    """The child's whole life: run ``target(payload, report)``, send ("done", result) or ("error", exception)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the app, which ends this process itself
    os.environ.clear()
    os.environ.update(environ)

    def report(*values: Any) -> None:
        conn.send(("progress", *values))

    try:
        result = target(payload, report)
        conn.send(("done", result))
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent, which shows it
        try:
            pickle.loads(pickle.dumps(exc))
            conn.send(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not survive pickling is sent as its text
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
    finally:
        conn.close()


def prestart(after: float = 0.0) -> None:
    """Start the fork server (it imports the engines: about 2 s of CPU), so that the first job starts quickly: now,
    or ``after`` seconds from now in a daemon thread (not while the app's own warm-up and its first requests want the
    CPU). A job started before then starts it itself."""
    if after > 0:
        timer = threading.Timer(after, prestart)
        timer.daemon = True
        timer.name = "mas-web-prestart"
        timer.start()
        return
    ctx = _ctx()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def run_in_worker(target: Callable[..., Any], payload: Any, *, on_progress: Callable[..., None],
                  check: Callable[[], None]) -> Any:
    """Run ``target`` (a function named in ``_TARGETS``) on ``payload`` in a child process; its result.
    ``on_progress`` gets each progress message's values; ``check()`` is called every :data:`POLL` seconds and stops
    the child when it raises (its exception propagates). The child's own exception is raised here as it was."""
    if f"{target.__module__}:{target.__qualname__}" not in _TARGETS:
        raise RuntimeError(f"{target!r}: not a worker job")  # a programmer's error
    ctx = _ctx()
    parent, child_end = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_child, args=(child_end, target, payload, dict(os.environ)), daemon=True,
                          name="mas-web-worker")
    process.start()
    child_end.close()
    with _lock:
        _running.add(process)
    try:
        while True:
            check()
            if parent.poll(POLL):
                try:
                    message = parent.recv()
                except EOFError:
                    process.join(5)
                    raise WorkerDied(Text("web_app_worker_died", code=process.exitcode)) from None
                kind, *values = message
                if kind == "progress":
                    on_progress(*values)
                elif kind == "done":
                    return values[0]
                else:
                    raise values[0]
            elif not process.is_alive() and not parent.poll():
                raise WorkerDied(Text("web_app_worker_died", code=process.exitcode))
    finally:
        _end(process)
        parent.close()
        with _lock:
            _running.discard(process)


def _end(process: Any) -> None:
    if process.is_alive():
        process.terminate()
        process.join(2)
        if process.is_alive():
            process.kill()
    process.join(5)


def running() -> list[int]:
    """The process ids of the children running jobs now."""
    with _lock:
        return sorted(p.pid for p in _running if p.pid is not None)


def stop_all() -> None:
    """End every child still running, at once (the app is stopping: their jobs are marked failed by then)."""
    with _lock:
        running = list(_running)
    for process in running:
        _end(process)
