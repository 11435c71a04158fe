"""Where evaluations run: in this process, in a pool of processes, or on a Dask cluster.

Every backend takes the same :class:`~mas.optimize.evaluate.Evaluator` (shipped to each
worker once, candles included), cuts the parameter sets into chunks and returns the trials in
the order of the sets, whatever order the chunks finish in; so every backend gives the same
rows as a serial run. ``progress(done)`` is called as sets complete.

Dask (``--cluster local:N`` or ``tcp://host:port``) is the optional ``dask`` extra: the job is
scattered to the workers once, chunks are submitted as tasks, and the chunk of a worker that is
lost is run again elsewhere: the scheduler reschedules it (``retries`` also re-runs a chunk whose
task raised), and when it cannot (every copy of the scattered job died with its workers) the
job is scattered again and the chunk resubmitted.
"""

from __future__ import annotations

import logging
import math
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from mas.i18n.errors import InputError
from mas.optimize.evaluate import Evaluator, IndexedParams, Window
from mas.optimize.results import Trial

__all__ = ["Backend", "DaskBackend", "ProcessBackend", "SerialBackend", "chunked", "make_backend"]

Progress = Callable[[int], None]
CHUNKS_PER_WORKER = 4
DASK_RETRIES = 2
DASK_RESUBMITS = 3
"""Times a chunk is resubmitted (the job scattered again if needed) after the scheduler gave up on it."""
DASK_WORKER_WAIT = 60


log = logging.getLogger("mas.optimize")


def chunked(items: Sequence[IndexedParams], workers: int, chunk_size: int | None = None) -> list[list[IndexedParams]]:
    """``items`` cut into consecutive chunks: about ``CHUNKS_PER_WORKER`` per worker unless ``chunk_size``."""
    if not items:
        return []
    size = chunk_size or max(1, math.ceil(len(items) / (max(1, workers) * CHUNKS_PER_WORKER)))
    return [list(items[i:i + size]) for i in range(0, len(items), size)]


def _ordered(results: dict[int, Trial], items: Sequence[IndexedParams]) -> list[Trial]:
    return [results[index] for index, _ in items]


class Backend(ABC):
    """Runs chunks of an evaluator's job; a context manager that owns its workers."""

    workers = 1

    def __init__(self, evaluator: Evaluator) -> None:
        self.evaluator = evaluator

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:  # noqa: B027 - optional hook: backends without workers have nothing to release
        """Release the workers."""

    @abstractmethod
    def evaluate(self, items: Sequence[IndexedParams], progress: Progress | None = None,
                 window: Window | None = None) -> list[Trial]:
        """The trials of ``items`` (``(index, params)``), in the order given; ``window`` restricts the
        candles to ``[start, end)`` (epoch seconds)."""


class SerialBackend(Backend):
    """Everything in this process, one chunk at a time."""

    def evaluate(self, items: Sequence[IndexedParams], progress: Progress | None = None,
                 window: Window | None = None) -> list[Trial]:
        results: dict[int, Trial] = {}
        for chunk in chunked(items, 1, chunk_size=_serial_chunk(self.evaluator)):
            results.update(self.evaluator.evaluate_chunk(chunk, window))
            if progress is not None:
                progress(len(chunk))
        return _ordered(results, items)


def _serial_chunk(evaluator: Evaluator) -> int:
    """Chunks that keep the progress bar moving; the fast engine gains from larger ones."""
    return 64 if evaluator.engine != "event" else 1


_WORKER_JOB: Evaluator | None = None


def _init_worker(evaluator: Evaluator) -> None:
    global _WORKER_JOB
    _WORKER_JOB = evaluator


def _run_chunk(chunk: list[IndexedParams], window: Window | None) -> list[tuple[int, Trial]]:
    assert _WORKER_JOB is not None, "worker not initialised"
    return _WORKER_JOB.evaluate_chunk(chunk, window)


class ProcessBackend(Backend):
    """A pool of ``workers`` processes, each given the job (and so the candles) once when it starts."""

    def __init__(self, evaluator: Evaluator, workers: int, mp_context: Any = None) -> None:
        super().__init__(evaluator)
        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=mp_context, initializer=_init_worker,
                                        initargs=(evaluator,))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def evaluate(self, items: Sequence[IndexedParams], progress: Progress | None = None,
                 window: Window | None = None) -> list[Trial]:
        results: dict[int, Trial] = {}
        pending = {self.pool.submit(_run_chunk, chunk, window) for chunk in chunked(items, self.workers)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                rows = future.result()
                results.update(rows)
                if progress is not None:
                    progress(len(rows))
        return _ordered(results, items)


def _dask_chunk(evaluator: Evaluator, chunk: list[IndexedParams], window: Window | None) -> list[tuple[int, Trial]]:
    return evaluator.evaluate_chunk(chunk, window)


class DaskBackend(Backend):
    """A Dask cluster: ``local:N`` starts a LocalCluster of N single-threaded worker processes,
    anything else is the address of a running scheduler."""

    def __init__(self, evaluator: Evaluator, cluster: str, *, processes: bool = True,
                 chunk_size: int | None = None) -> None:
        super().__init__(evaluator)
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise InputError("opt_needs_dask") from None
        self._cluster = None
        self.chunk_size = chunk_size
        if cluster.startswith("local"):
            count = _local_workers(cluster)
            self._cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=processes,
                                         dashboard_address=None)
            self.client = Client(self._cluster)
        else:
            self.client = Client(cluster)
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        self._job: Any = None
        self._ship_job()

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            try:
                self._cluster.close()
            except KeyError as exc:
                # distributed can trip over a worker it already saw die while the local cluster shuts
                # down (its worker-status watcher looks the dead worker up again); the job's results
                # are complete by then, so the shutdown error is logged, not raised
                log.warning("the local Dask cluster reported an error while closing: %r", exc)

    def evaluate(self, items: Sequence[IndexedParams], progress: Progress | None = None,
                 window: Window | None = None) -> list[Trial]:
        from dask.distributed import as_completed

        results: dict[int, Trial] = {}
        chunks = {}  # future -> (chunk, resubmissions, the job future it read)
        for chunk in chunked(items, self.workers, self.chunk_size):
            chunks[self._submit(chunk, window)] = (chunk, 0, self._job)
        pending = as_completed(list(chunks))
        for future in pending:
            try:
                rows = future.result()
            except Exception:  # a chunk (or the job's data) lost with its worker, beyond the scheduler's retries
                chunk, resubmissions, job = chunks.pop(future)
                if resubmissions >= DASK_RESUBMITS:
                    raise
                if job is self._job:
                    self._ship_job()
                retry = self._submit(chunk, window)
                chunks[retry] = (chunk, resubmissions + 1, self._job)
                pending.add(retry)
                continue
            results.update(rows)
            if progress is not None:
                progress(len(rows))
        return _ordered(results, items)

    def _submit(self, chunk: list[IndexedParams], window: Window | None) -> Any:
        return self.client.submit(_dask_chunk, self._job, chunk, window, pure=False, retries=DASK_RETRIES)

    def _ship_job(self) -> None:
        """Scatter the job (candles included) to every worker again: its copies may have died with them."""
        self.client.wait_for_workers(1, timeout=DASK_WORKER_WAIT)
        self._job = self.client.scatter(self.evaluator, broadcast=True)


def _local_workers(cluster: str) -> int:
    _, _, count = cluster.partition(":")
    if not count:
        return os.cpu_count() or 1
    if not count.isdigit() or int(count) < 1:
        raise InputError("opt_cluster_local", value=cluster)
    return int(count)


def make_backend(evaluator: Evaluator, workers: int = 1, cluster: str | None = None) -> Backend:
    """The backend for ``--workers`` / ``--cluster`` (a cluster wins over processes)."""
    if cluster:
        if not (cluster.startswith("local") or "://" in cluster):
            raise InputError("opt_cluster_address", value=cluster)
        return DaskBackend(evaluator, cluster)
    if workers < 1:
        raise InputError("opt_expected_one_or_more", option="--workers", value=workers)
    if workers == 1:
        return SerialBackend(evaluator)
    return ProcessBackend(evaluator, workers)
