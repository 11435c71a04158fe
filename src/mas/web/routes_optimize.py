"""The optimize page's API: a strategy's parameters, sweeps as background tasks with progress, cancel."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam

from mas.strategy.parse import ParseError
from mas.strategy.spec import SpecError
from mas.web import optimizing, services
from mas.web.language import refused, said_reason, unprocessable
from mas.web.schemas import OptimizeRequest, ParamsRequest

router = APIRouter(prefix="/api")

_ID = r"^[0-9a-f]{32}$"



@router.get("/metrics")
def metrics() -> list[str]:
    """The metrics a sweep can rank by."""
    from mas.optimize.results import metric_names

    return list(metric_names())


@router.post("/optimize/params")
def strategy_params(body: ParamsRequest) -> Any:
    """What can be swept for this strategy, with the current values."""
    try:
        return optimizing.parameters(body.strategy)
    except (ParseError, SpecError, ValueError) as exc:
        return unprocessable(exc)


@router.post("/optimizations", status_code=202)
def start_sweep(body: OptimizeRequest, request: Request) -> Any:
    """Queue an optimization (grid or random, optionally walk-forward); its id."""
    try:
        work = optimizing.sweep_work(body)
    except (ParseError, SpecError, ValueError, LookupError, TypeError) as exc:
        return unprocessable(exc)
    ident = request.app.state.sweeps.submit(services.source_label(body.strategy), body.model_dump(by_alias=True), work)
    return {"id": ident, "state": "queued"}


def _task(request: Request, ident: str) -> dict[str, Any]:
    task = request.app.state.sweeps.get(ident)
    if task is None:
        raise refused(404, "web_http_no_sweep", ident=ident)
    return {**task, "error": said_reason(task.get("error"))}


@router.get("/optimizations")
def sweeps(request: Request) -> list[dict[str, Any]]:
    """The optimizations running now and every one kept, newest first (without their results)."""
    return [{**task, "error": said_reason(task.get("error"))} for task in request.app.state.sweeps.listing()]


@router.delete("/optimizations/{ident}")
def delete_sweep(request: Request, ident: str = PathParam(..., pattern=_ID)) -> dict[str, bool]:
    """Forget a kept optimization (a running one is cancelled first)."""
    forgotten = request.app.state.sweeps.forget(ident)
    if forgotten is None:
        raise refused(409, "web_http_sweep_busy", ident=ident)
    if not forgotten:
        raise refused(404, "web_http_no_sweep", ident=ident)
    return {"ok": True}


@router.get("/optimizations/{ident}")
def sweep(request: Request, ident: str = PathParam(..., pattern=_ID)) -> dict[str, Any]:
    """An optimization's state, progress and (once done) result."""
    return _task(request, ident)


@router.post("/optimizations/{ident}/cancel")
def cancel_sweep(request: Request, ident: str = PathParam(..., pattern=_ID)) -> dict[str, Any]:
    """Cancel an optimization; it stops at its next parameter set."""
    _task(request, ident)
    request.app.state.sweeps.cancel(ident)
    return _task(request, ident)
