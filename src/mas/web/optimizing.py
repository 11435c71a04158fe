"""The optimize page's work: a strategy's parameters, and sweeps (or walk-forwards) as background tasks.

A sweep calls :func:`mas.app.run_optimization` (or :func:`mas.app.run_walk_forward`) exactly as ``mas optimize``
does (for an uploaded ``.py`` file too: ``mas optimize FILE.py``), in a worker process (:mod:`mas.web.worker`)
watched by a thread; the optimizer's ``progress(done, total)`` callback feeds the page's "trials done / total".
Cancelling ends the worker process at once, however long the engine's current step is. Sweeps that end are kept
in the store; those still running live in this process's memory.
"""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

from mas.i18n.errors import InputError
from mas.web.jobs import user_message
from mas.web.schemas import BuiltinSource, FileSource, OptimizeRequest, SpecSource, StrategySource, TextSource
from mas.web.store import INTERRUPTED

__all__ = ["Sweeps", "parameters", "sweep_in_worker", "sweep_work"]

log = logging.getLogger("mas.web")
MAX_TASKS = 50
RANKED_ROWS = 100
_SKIPPED_FIELDS = frozenset({"version", "atr_period"})


class Cancelled(Exception):
    """Raised from the progress callback when the page cancelled the sweep."""


def _numeric_paths(node: Any, prefix: str) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in _SKIPPED_FIELDS:
                out += _numeric_paths(value, f"{prefix}.{key}" if prefix else key)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        out.append((prefix, node))
    return out


def _spec_of(source: StrategySource) -> Any:
    from mas.strategy.spec import spec_from_dict

    if isinstance(source, TextSource):
        from mas.strategy.parse import parse_text

        return parse_text(source.text).spec
    if isinstance(source, SpecSource):
        return spec_from_dict(source.spec)
    return None


def parameters(source: StrategySource) -> list[dict[str, Any]]:
    """What can be swept: a built-in's keyword arguments, or a spec's numeric fields as dotted paths
    (``rsi_14.period``, ``risk.stop_loss.value``, ``entry_long.right``), each with its current value."""
    if isinstance(source, BuiltinSource):
        from mas.strategy.builtins import BUILTIN_STRATEGIES

        if source.name not in BUILTIN_STRATEGIES:
            raise InputError("web_app_not_builtin", name=source.name, names=", ".join(BUILTIN_STRATEGIES))
        defaults = {**BUILTIN_STRATEGIES[source.name].default_params(), **source.params}
        return [{"name": k, "value": v} for k, v in defaults.items() if isinstance(v, (int, float))]
    if isinstance(source, FileSource):  # read from its source: nothing in the file runs until a sweep starts
        from mas.web.uploads import file_parameters

        found = file_parameters(source.id)
        names = {p["name"] for p in found}
        chosen = [{"name": k, "value": v} for k, v in source.params.items()
                  if k not in names and isinstance(v, (int, float)) and not isinstance(v, bool)]
        return [{**p, "value": source.params.get(p["name"], p["value"])} for p in found] + chosen
    data = _spec_of(source).model_dump(mode="json", exclude_none=True)
    out = []
    for indicator in data.get("indicators", []):
        out += [{"name": f"{indicator['id']}.{k}", "value": v}
                for k, v in _numeric_paths({k: v for k, v in indicator.items() if k != "id"}, "")]
    rest = {k: v for k, v in data.items() if k != "indicators"}
    out += [{"name": name, "value": value} for name, value in _numeric_paths(rest, "")]
    return out


def _target(source: StrategySource) -> Any:
    if isinstance(source, BuiltinSource):
        from mas.strategy.builtins import BUILTIN_STRATEGIES

        if source.name not in BUILTIN_STRATEGIES:
            raise InputError("web_app_not_builtin", name=source.name, names=", ".join(BUILTIN_STRATEGIES))
        return source.name
    if isinstance(source, FileSource):  # 'mas optimize FILE.py': the file runs in each set, once the sweep starts
        from mas.web.uploads import file_path

        return str(file_path(source.id))
    return _spec_of(source)


def _backtest_source(source: StrategySource, target: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The strategy (as the backtest API takes it) with one trial's parameters applied."""
    if isinstance(source, BuiltinSource):
        return {"kind": "builtin", "name": source.name, "params": {**source.params, **params}}
    if isinstance(source, FileSource):
        return {**source.model_dump(), "params": {**source.params, **params}}
    return {"kind": "spec", "spec": target.spec(params).model_dump(mode="json", exclude_none=True)}


def sweep_work(request: OptimizeRequest) -> Any:
    """Check the request now (a bad parameter name or range fails before the task is queued) and return
    ``work(progress) -> document``, which runs the sweep in a worker process (:mod:`mas.web.worker`) that cancel
    ends at once (``progress.check()`` raises then)."""
    _prepare(request)
    payload = request.model_dump(by_alias=True)

    def work(progress: Any) -> dict[str, Any]:
        from mas.web.worker import run_in_worker

        return run_in_worker(sweep_in_worker, payload, on_progress=progress,
                             check=getattr(progress, "check", lambda: None))

    return work


def sweep_in_worker(payload: dict[str, Any], send: Any) -> dict[str, Any]:
    """In a worker process: the sweep of a request (checked again), reporting ``send(done, total)``."""
    return _prepare(OptimizeRequest.model_validate(payload))(send)


def _prepare(request: OptimizeRequest) -> Any:
    """The checked request's ``work(progress) -> document``, run in this process."""
    from mas.optimize.results import check_metric, metric_names
    from mas.optimize.space import ParamSpace
    from mas.optimize.target import resolve_target
    from mas.optimize.walkforward import parse_length

    target = resolve_target(_target(request.strategy))
    try:
        mapping: dict[str, Any] = dict(request.params)
        if isinstance(request.strategy, (BuiltinSource, FileSource)):  # values set on the page stay fixed
            for name, value in request.strategy.params.items():
                mapping.setdefault(name, [value])
        space = ParamSpace.from_mapping(mapping)
        target.check_names(space.names)
    except ValueError as exc:
        raise InputError("web_app_params_invalid", reason=str(exc).removeprefix("--param ")) from None
    for name, values in zip(space.names, space.values, strict=True):
        if isinstance(request.strategy, FileSource) and name not in request.params:
            continue  # a file's own fixed values are passed as they are, as '--param NAME=VALUE' passes them
        bad = [v for v in values if isinstance(v, bool) or not isinstance(v, (int, float))]
        if bad:
            raise InputError("web_app_param_not_number", name=name, value=bad[0])
    if request.metric not in metric_names():
        raise InputError("web_app_metric_unknown", value=request.metric, names=", ".join(metric_names()))
    check_metric(request.metric)
    if request.walk_forward is not None:
        for name in ("in_sample", "out_of_sample"):
            try:
                parse_length(getattr(request.walk_forward, name))
            except ValueError as exc:
                raise InputError("web_app_wf_length", name=name, reason=exc) from None
    if request.method == "grid" and space.size > request.max_sets:
        raise InputError("web_app_grid_too_big", size=space.size, limit=request.max_sets)
    options: dict[str, Any] = {"symbol": request.symbol.upper(), "timeframe": request.timeframe,
                               "start": request.date_from, "end": request.date_to, "metric": request.metric,
                               "maximize": request.maximize, "method": request.method, "trials": request.trials,
                               "seed": 0, "backtest": {"capital": request.capital, "leverage": request.leverage,
                                                       "spread": request.spread}}

    swept = list(request.params)

    def work(progress: Any) -> dict[str, Any]:
        from mas.app import run_optimization, run_walk_forward

        wf = request.walk_forward
        if wf is not None:
            result = run_walk_forward(target, space, in_sample=wf.in_sample, out_of_sample=wf.out_of_sample,
                                      anchored=wf.anchored, progress=progress, **options)
            doc = result.document()
            doc.pop("stitched_out_of_sample_equity", None)
            for window in doc.get("windows", []):
                best = window.get("best_params")
                window["backtest"] = _backtest_source(request.strategy, target, best) if best else None
            return {"kind": "walk_forward", "param_names": swept, **_plain(doc)}
        result = run_optimization(target, space, progress=progress, **options)
        ranked = []
        for rank, trial in enumerate(result.ranked()[:RANKED_ROWS], start=1):
            ranked.append({"rank": rank, "params": trial.params, "metrics": trial.metrics, "status": trial.status,
                           "backtest": _backtest_source(request.strategy, target, trial.params)})
        return {"kind": "sweep", "metric": result.metric, "maximize": result.maximize,
                "param_names": swept, "counts": result.counts(), "ranked": _plain(ranked),
                "all": _plain([{"params": t.params, "value": (t.metrics or {}).get(result.metric)}
                               for t in result.trials])}

    return work


def _plain(value: Any) -> Any:
    """JSON-safe: NaN and infinities as None, numpy scalars as Python numbers."""
    import math

    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


class _Progress:
    """A sweep's ``progress(done, total)``: records them, and raises :class:`Cancelled` once the sweep is cancelled
    (so does ``check()``, which a sweep in a worker process calls while it waits)."""

    def __init__(self, record: Any, stop: threading.Event) -> None:
        self.record, self.stop = record, stop

    def __call__(self, done: int, total: int) -> None:
        self.record(done, total)
        self.check()

    def check(self) -> None:
        """Raise :class:`Cancelled` when the sweep was cancelled."""
        if self.stop.is_set():
            raise Cancelled


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


class Sweeps:
    """Sweeps running in this process: state, trials done / total, the result or the error. With a ``store``,
    each sweep that ends (done, failed, cancelled) is kept there, and :meth:`get` reads it back after a restart."""

    def __init__(self, workers: int = 1, store: Any = None) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mas-web-sweep")
        self._tasks: dict[str, dict[str, Any]] = {}
        self._cancel: dict[str, threading.Event] = {}
        self._started: set[str] = set()
        self._lock = threading.Lock()

    def submit(self, label: str, request: dict[str, Any], work: Any) -> str:
        """Queue ``work(progress)`` as a new sweep of ``label`` and ``request``; its id."""
        ident = uuid.uuid4().hex
        with self._lock:
            if len(self._tasks) >= MAX_TASKS:  # forget the oldest finished one
                for old, task in list(self._tasks.items()):
                    if task["state"] in ("done", "failed", "cancelled"):
                        del self._tasks[old]
                        self._cancel.pop(old, None)
                        break
            self._tasks[ident] = {"id": ident, "label": label, "request": request, "state": "queued", "done": 0,
                                  "total": None, "error": None, "result": None, "created_at": _now()}
            self._cancel[ident] = threading.Event()
        self._pool.submit(self._run, ident, work)
        return ident

    def _set(self, ident: str, **values: Any) -> None:
        with self._lock:
            self._tasks[ident].update(values)

    def _end(self, ident: str, **values: Any) -> None:
        """running -> done or failed, unless a cancel came first (checked under the lock cancel takes)."""
        with self._lock:
            task = self._tasks[ident]
            if task["state"] == "running":
                task.update(values)

    def _run(self, ident: str, work: Any) -> None:
        stop = self._cancel[ident]
        with self._lock:
            self._started.add(ident)
            if self._tasks[ident]["state"] != "queued":
                return  # cancelled while queued
            self._tasks[ident]["state"] = "running"

        try:
            result = work(_Progress(lambda done, total: self._set(ident, done=int(done), total=int(total)), stop))
        except Cancelled:
            self._keep(ident)
            return
        except Exception as exc:  # noqa: BLE001 - a sweep's failure is its result, shown on the page
            log.warning("sweep %s failed: %s", ident, exc)
            self._end(ident, state="failed", error=user_message(exc))
            self._keep(ident)
            return
        self._end(ident, state="done", result=result)
        self._keep(ident)

    def _keep(self, ident: str) -> None:
        task = self.get(ident)
        if self.store is None or task is None or task["state"] not in ("done", "failed", "cancelled"):
            return
        try:
            self.store.save_sweep(task)
        except Exception:  # noqa: BLE001 - the sweep stays readable in memory until the app stops
            log.warning("sweep %s could not be kept", ident, exc_info=True)

    def get(self, ident: str) -> dict[str, Any] | None:
        """A sweep of this process, else one kept in the store, else None."""
        with self._lock:
            task = self._tasks.get(ident)
            if task is not None:
                return dict(task)
        return self.store.sweep(ident) if self.store is not None else None

    def forget(self, ident: str) -> bool | None:
        """Forget a sweep that ended (here and in the store): True; False when there is none; None while it runs."""
        with self._lock:
            task = self._tasks.get(ident)
            if task is not None and task["state"] in ("queued", "running"):
                return None
            here = self._tasks.pop(ident, None) is not None
            self._cancel.pop(ident, None)
        kept = self.store.delete_sweep(ident) if self.store is not None else False
        return here or kept

    def listing(self) -> list[dict[str, Any]]:
        """This process's sweeps and the kept ones, newest first (without results)."""
        with self._lock:
            here = [{k: v for k, v in t.items() if k != "result"} for t in self._tasks.values()]
        kept = self.store.sweeps() if self.store is not None else []
        ids = {t["id"] for t in here}
        rows = here + [s for s in kept if s["id"] not in ids]
        return sorted(rows, key=lambda row: row["created_at"], reverse=True)

    def cancel(self, ident: str) -> bool:
        """Cancel a queued or running sweep (it stops at its next parameter set); False when it had ended."""
        with self._lock:
            task = self._tasks.get(ident)
            if task is None or task["state"] not in ("queued", "running"):
                return False
            task["state"] = "cancelled"
            self._cancel[ident].set()
            queued = ident not in self._started
        if queued:
            self._keep(ident)  # it never runs: kept now (a running one is kept when it stops)
        return True

    def shutdown(self) -> None:
        """The app is stopping: cancel every sweep (kept as cancelled, the reason in its error) and take no more."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        stopped = []
        with self._lock:
            for ident, task in self._tasks.items():
                if task["state"] in ("queued", "running"):
                    task.update(state="cancelled", error=INTERRUPTED)
                    stopped.append(ident)
            for event in self._cancel.values():
                event.set()
        for ident in stopped:  # kept now: the process may end before a running sweep's thread sees its cancel
            self._keep(ident)
