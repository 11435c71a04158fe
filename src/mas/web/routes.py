"""The JSON API. Handlers translate HTTP to :mod:`mas.web.services` and the store; no trading logic here."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse, Response

from mas.strategy.parse import AmbiguityError, ParseError
from mas.strategy.spec import SpecError
from mas.web import charts, services
from mas.web.language import refused, said, said_reason, unprocessable
from mas.web.schemas import (
    BacktestRequest,
    CheckRequest,
    ExportRequest,
    LoginRequest,
    ParseRequest,
    SaveStrategyRequest,
)
from mas.web.security import csrf_cookie, session_cookie

router = APIRouter(prefix="/api")

_RUN_ID = r"^[0-9a-f]{32}$"
MAX_WAIT = 10.0  # the longest a job's state request may wait for its end (seconds)
OTHER_PROCESS_POLL = 0.2  # how long it waits for a job of another app process, which it cannot watch


def _state(request: Request) -> Any:
    return request.app.state


def _refusal(exc: ParseError) -> JSONResponse:
    """A text the parser refuses: its message, the quoted words and (when ambiguous) the readings to pick from."""
    text = said(exc)
    error = {"kind": "ambiguous" if isinstance(exc, AmbiguityError) else "parse", "message": text,
             "fragment": exc.fragment, "start": exc.start, "end": exc.end,
             "readings": list(getattr(exc, "readings", []))}
    return JSONResponse({"detail": text, "error": error}, status_code=422)



# ----------------------------------------------------------------------------- session


@router.post("/login")
async def login(body: LoginRequest, request: Request) -> Response:
    """Log in with the server's password (only when it has one): a session cookie and a CSRF cookie."""
    auth = _state(request).auth
    client = request.client.host if request.client else "?"
    if not auth.password_required:
        raise refused(400, "web_http_no_password")
    if auth.login_blocked(client):
        raise refused(429, "web_http_too_many_logins")
    ok = await asyncio.to_thread(auth.password_ok, body.password, client)
    if not ok:
        raise refused(403, "web_http_wrong_password")
    session_id, csrf = auth.open_session()
    response = JSONResponse({"ok": True})
    response.set_cookie(session_cookie(auth.port), session_id, httponly=True, samesite="strict", path="/")
    response.set_cookie(csrf_cookie(auth.port), csrf, httponly=False, samesite="strict", path="/")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End this browser's session."""
    auth = _state(request).auth
    auth.close_session(request.cookies.get(session_cookie(auth.port)))
    response = JSONResponse({"ok": True})
    response.delete_cookie(session_cookie(auth.port), path="/")
    return response


@router.get("/session")
async def session(request: Request) -> dict[str, Any]:
    """Whether this browser is logged in, and whether the server asks for a password."""
    auth = _state(request).auth
    return {"logged_in": True, "password_required": auth.password_required}


# ----------------------------------------------------------------------------- strategies


@router.get("/strategy/builtins")
def builtin_strategies(lang: str = Query("en", pattern=r"^(en|zh-tw|zh-cn)$")) -> list[dict[str, Any]]:
    """The built-in strategies with their parameters and rules in plain words."""
    return services.builtins(lang)


@router.post("/strategy/parse")
def parse_strategy(body: ParseRequest) -> Any:
    """A text -> its spec read back in plain words, or the refusal quoting the words."""
    try:
        return services.parse(body.text, body.lang)
    except ParseError as exc:
        return _refusal(exc)


@router.post("/strategy/check")
def check_strategy(body: CheckRequest) -> Any:
    """An edited spec checked again and read back, or the fields at fault."""
    try:
        return services.check_spec(body.spec, body.lang)
    except (SpecError, ValueError) as exc:
        return unprocessable(exc)


@router.post("/strategy/files")
async def upload_strategy_file(request: Request, name: str = Query(..., min_length=1, max_length=255)) -> Any:
    """Keep an uploaded strategy file (the request body); its source entry. Nothing in it runs now: it runs
    when a backtest or a live run with it is started, as ``mas backtest file.py`` runs it."""
    from mas.web.uploads import MAX_FILE, store_file

    content = bytearray()
    async for chunk in request.stream():
        content += chunk
        if len(content) > MAX_FILE:
            raise refused(413, "web_http_strategy_file_too_big", limit=MAX_FILE)
    try:
        return await asyncio.to_thread(store_file, name, bytes(content))
    except ValueError as exc:
        return unprocessable(exc)


@router.post("/strategy/export")
def export_strategy(body: ExportRequest) -> Response:
    """The standalone Python program of a strategy (``mas strategy export``), as a download."""
    try:
        name, content, media_type = services.export(body)
    except ParseError as exc:
        return _refusal(exc)
    except (SpecError, ValueError, LookupError, TypeError) as exc:
        return unprocessable(exc)
    return Response(content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/strategies")
def saved_strategies(request: Request) -> list[dict[str, Any]]:
    """The strategy library."""
    return _state(request).store.strategies()


@router.post("/strategies")
def save_strategy(body: SaveStrategyRequest, request: Request) -> Any:
    """Save a strategy to the library under a name (a spec is checked first)."""
    if body.source.kind == "spec":
        try:
            services.check_spec(body.source.spec, "en")
        except (SpecError, ValueError) as exc:
            return unprocessable(exc)
    return _state(request).store.save_strategy(body.name.strip(), body.source.model_dump())


@router.delete("/strategies/{ident}")
def delete_strategy(ident: int, request: Request) -> dict[str, bool]:
    """Remove a strategy from the library."""
    if not _state(request).store.delete_strategy(ident):
        raise refused(404, "web_http_no_strategy", ident=ident)
    return {"ok": True}


@router.get("/datasets")
def datasets() -> list[dict[str, Any]]:
    """The stored bars (symbol, timeframe, rows, first and last day) the backtest form offers."""
    from mas.data.store import list_datasets

    return [{"symbol": d.symbol, "timeframe": d.timeframe, "bars": d.bars, "source": d.source,
             "first": d.first.strftime("%Y-%m-%d") if d.first else None,
             "last": d.last.strftime("%Y-%m-%d") if d.last else None} for d in list_datasets()]


# ----------------------------------------------------------------------------- backtests


@router.post("/backtests", status_code=202)
def start_backtest(body: BacktestRequest, request: Request) -> Any:
    """Queue a backtest job (the strategy is loaded first: a text that does not parse is refused now)."""
    try:
        work = services.backtest_job(body)
    except ParseError as exc:
        return _refusal(exc)
    except (SpecError, ValueError, LookupError, TypeError) as exc:
        return unprocessable(exc)
    ident = _state(request).jobs.submit(services.source_label(body.strategy), body.model_dump(by_alias=True), work)
    return {"job": ident, "run": ident, "state": "queued"}


def _job_view(run: dict[str, Any]) -> dict[str, Any]:
    view = {k: run[k] for k in ("id", "state", "error", "created_at", "started_at", "finished_at", "label")}
    view["error"] = said_reason(view["error"])
    return view


@router.get("/jobs/{ident}")
def job(request: Request, ident: str = PathParam(..., pattern=_RUN_ID),
        wait: float = Query(0.0, ge=0.0, le=MAX_WAIT)) -> dict[str, Any]:
    """A job's state and, while it runs in this process, its progress (``done`` of ``total`` bars). With ``wait``
    (seconds), a queued or running job is answered when it ends or after ``wait`` seconds, whichever comes first:
    the page learns the end at once instead of at its next poll."""
    view = _job_state(request, ident)
    if wait > 0 and view["state"] in ("queued", "running"):
        if not _state(request).jobs.wait(ident, wait) and _job_state(request, ident)["state"] in ("queued", "running"):
            time.sleep(min(wait, OTHER_PROCESS_POLL))  # a job another app process runs: an ordinary poll
        view = _job_state(request, ident)
    return view


def _job_state(request: Request, ident: str) -> dict[str, Any]:
    """The job's state and progress; once done, also its KPI tiles (``result``: ``kpis`` and ``currency``), which the
    page shows before it has read the whole document."""
    view = _job_view(_existing(request, ident, with_document=False))
    view["progress"] = _state(request).jobs.progress(ident) if view["state"] in ("queued", "running") else None
    summary = _state(request).store.result_summary(ident) if view["state"] == "done" else None
    view["result"] = None if summary is None else {
        "kpis": services.kpis({"metrics": summary["metrics"], "equity": [[None, summary["final_equity"]]]}),
        "currency": summary["currency"]}
    return view


@router.post("/jobs/{ident}/cancel")
def cancel_job(request: Request, ident: str = PathParam(..., pattern=_RUN_ID)) -> dict[str, Any]:
    """Cancel a job: a queued one never starts, a running replay stops at its next bar; nothing of it is kept."""
    _existing(request, ident, with_document=False)
    _state(request).jobs.cancel(ident)
    return _job_state(request, ident)


def _existing(request: Request, ident: str, *, with_document: bool = True) -> dict[str, Any]:
    run = _state(request).store.run(ident, with_document=with_document)
    if run is None:
        raise refused(404, "web_http_no_run", ident=ident)
    return run


@router.get("/runs")
def runs(request: Request) -> list[dict[str, Any]]:
    """Every run, newest first, with its KPIs."""
    out = []
    for run in _state(request).store.runs():
        document = {"metrics": run.pop("metrics") or {}, "equity": [[None, run.pop("final_equity")]]}
        run["kpis"] = services.kpis(document) if run["state"] == "done" else None
        run["error"] = said_reason(run.get("error"))
        out.append(run)
    return out


@router.get("/runs/{ident}")
def run_detail(request: Request, ident: str = PathParam(..., pattern=_RUN_ID)) -> Response:
    """One run with its result document and KPIs (the document's stored JSON text, sent as it is kept)."""
    found = _state(request).store.run_text(ident)
    if found is None:
        raise refused(404, "web_http_no_run", ident=ident)
    run, text, metrics, final_equity = found
    run["kpis"] = services.kpis({"metrics": metrics, "equity": [[None, final_equity]]}) if text else None
    run["error"] = said_reason(run.get("error"))
    head = json.dumps(run, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(f'{head[:-1]},"document":{text or "null"}}}', media_type="application/json")


@router.delete("/runs/{ident}")
def delete_run(request: Request, ident: str = PathParam(..., pattern=_RUN_ID)) -> dict[str, bool]:
    """Forget a run that ended."""
    _existing(request, ident, with_document=False)
    if not _state(request).store.delete_run(ident):
        raise refused(409, "web_http_run_busy")
    return {"ok": True}


@router.get("/runs/{ident}/trades.csv")
def trades_csv(request: Request, ident: str = PathParam(..., pattern=_RUN_ID)) -> Response:
    """The run's trades as CSV."""
    run = _existing(request, ident)
    if not run["document"]:
        raise refused(409, "web_http_run_no_result", ident=ident, state=run["state"])
    return Response(services.trades_csv(run["document"]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="trades-{ident[:8]}.csv"'})


@router.get("/runs/{ident}/chart")
def run_chart(request: Request, ident: str = PathParam(..., pattern=_RUN_ID), start: str | None = Query(None,
              max_length=32), end: str | None = Query(None, max_length=32), points: int = Query(charts.DEFAULT_POINTS)
              ) -> Any:
    """The trade chart of the visible range: at most ``points`` candles, indicator lines, trades (level of detail)."""
    run = _finished(request, ident)
    try:
        return charts.chart_view(ident, run["document"], lambda: services.run_spec(run["request"]), start, end, points)
    except ValueError as exc:
        return unprocessable(exc)


@router.get("/runs/{ident}/deals")
def run_deals(request: Request, ident: str = PathParam(..., pattern=_RUN_ID)) -> list[dict[str, Any]]:
    """The run's deals (read back from its trades)."""
    return charts.deals(_finished(request, ident)["document"])


@router.get("/runs/{ident}/deals.csv")
def deals_csv(request: Request, ident: str = PathParam(..., pattern=_RUN_ID)) -> Response:
    """The run's deals as CSV."""
    return Response(charts.deals_csv(_finished(request, ident)["document"]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="deals-{ident[:8]}.csv"'})


@router.get("/runs/{ident}/orders.csv")
def orders_csv(request: Request, ident: str = PathParam(..., pattern=_RUN_ID)) -> Response:
    """The run's orders (MetaTrader 5's columns) as CSV."""
    return Response(services.orders_csv(_finished(request, ident)["document"]), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="orders-{ident[:8]}.csv"'})


def _finished(request: Request, ident: str) -> dict[str, Any]:
    run = _existing(request, ident)
    if not run["document"]:
        raise refused(409, "web_http_run_no_result", ident=ident, state=run["state"])
    return run


@router.get("/compare")
def compare(request: Request, a: str = Query(..., pattern=_RUN_ID), b: str = Query(..., pattern=_RUN_ID)
            ) -> dict[str, Any]:
    """Two runs side by side: their settings and KPIs (plus the tester's main statistics)."""
    sides = []
    for ident in (a, b):
        run = _existing(request, ident)
        if not run["document"]:
            raise refused(409, "web_http_run_no_result", ident=ident, state=run["state"])
        doc = run["document"]
        sides.append({"id": ident, "label": run["label"], "request": run["request"], "kpis": services.kpis(doc),
                      "metrics": doc.get("metrics", {}), "settings": doc.get("settings", {})})
    return {"runs": sides}
