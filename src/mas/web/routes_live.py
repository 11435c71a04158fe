"""The brokers and live pages' API: profiles (never a password) with their risk guards, the active account
(switched in one click: the server logs in with the stored password and returns the account, never a
credential), live runs (start and stop, confirmed), the account of a run as a server-sent events stream, the
active account itself (figures, positions, pending orders, recent deals) with or without a run on it, read by
:class:`mas.web.accounts.AccountBoard` and streamed the same way, and closing a position of either after an
explicit confirmation."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from mas.app.live import LiveRunError
from mas.strategy.parse import ParseError
from mas.strategy.spec import SpecError
from mas.web import live, services
from mas.web.language import refused, said, unprocessable
from mas.web.schemas import LiveStartRequest

router = APIRouter(prefix="/api")

_ID = r"^[0-9a-f]{32}$"
_NAME = r"^[A-Za-z0-9_.-]{1,64}$"
ACTIVE = "active_profile"  # the store's setting
STREAM_TICK_S = 0.1  # how often a stream looks for a new snapshot
KEEP_ALIVE_S = 15.0  # a comment line after this long without an event (proxies and browsers keep the stream)
STREAM_MAX_S = 3600.0  # a stream ends after this long; the browser's EventSource reconnects by itself
ACTIVE_EVERY_S = 1.0  # how often the account stream looks which profile is active


class ProfileRequest(BaseModel):
    """A broker profile as ``mas broker add`` takes it; ``password`` (optional) goes to the OS keyring."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=_NAME)
    terminal: Literal["sim", "mt5", "mt5linux"] = "sim"
    server: str = Field("", max_length=128)
    login: int = Field(0, ge=0, le=2**63 - 1)
    path: str = Field("", max_length=1024)
    host: str = Field("", max_length=255, pattern=r"^[A-Za-z0-9.:_-]*$")
    port: int = Field(0, ge=0, le=65535)
    max_lots: float = Field(0.0, ge=0)
    max_positions: int = Field(0, ge=0)
    daily_loss_limit: float = Field(0.0, ge=0)
    trading_hours: str = Field("", max_length=200)
    password: Annotated[str, Field(max_length=1024)] | None = None


class CloseRequest(BaseModel):
    """Closing a position: sent with ``confirm: true`` only after the user confirmed."""
    model_config = ConfigDict(extra="forbid")
    confirm: bool = False



def _board(request: Request) -> live.LiveBoard:
    return request.app.state.live


@router.get("/brokers")
def brokers(request: Request) -> Any:
    """The broker profiles (where each password comes from, never the password), each with its risk guards and
    whether it is the active account."""
    try:
        rows = live.profiles()
    except ValueError as exc:  # a profiles file that cannot be read: its message names it
        return unprocessable(exc)
    active = request.app.state.store.setting(ACTIVE)
    for row in rows:
        row["active"] = row["name"] == active
    return rows


@router.get("/account")
def active_account(request: Request) -> dict[str, Any]:
    """The active broker profile's name, its guards and the run trading on it now (no login: see activate)."""
    name = request.app.state.store.setting(ACTIVE)
    if name is None:
        return {"profile": None}
    try:
        guards = live.profile_guards(name)
    except ValueError:  # removed from brokers.toml since
        return {"profile": None}
    return {"profile": name, "guards": guards, "run": _board(request).running_on(name)}


@router.post("/brokers/{name}/activate")
async def activate_broker(request: Request, name: str = PathParam(..., pattern=_NAME)) -> Any:
    """Make profile ``name`` the active account: log in with its stored password (:func:`mas.app.live.open_account`)
    and read the account, kept logged in while the page shows it. A profile a strategy trades on now is read through
    that run first."""
    board = _board(request)
    running = board.running_on(name)
    try:
        if running is not None:
            view = await asyncio.to_thread(board.view, running)
            account = view.get("account") or {}
            board.accounts.want(name)  # the page shows the account itself next: log in now
        else:  # logs in and keeps watching the account with that client
            account = await asyncio.to_thread(board.accounts.activate, name)
    except (ValueError, LookupError, LiveRunError) as exc:
        return unprocessable(exc)
    request.app.state.store.set_setting(ACTIVE, name)
    return {"profile": name, "account": account, "guards": live.profile_guards(name), "run": running}


@router.get("/account/view")
async def account_view(request: Request) -> Any:
    """The active account now: figures, open positions, pending orders and recent deals (404 without one)."""
    try:
        return await asyncio.to_thread(_board(request).accounts.view, request.app.state.store.setting(ACTIVE))
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None


@router.get("/account/events")
async def account_events(request: Request) -> StreamingResponse:
    """Server-sent events of the active account: a ``view`` event (what ``GET /api/account/view`` returns) each
    time its figures, positions, orders or deals change; ``{"profile": null}`` while no profile is active."""
    accounts, store = _board(request).accounts, request.app.state.store

    sent, profile, asked = -1, None, 0.0

    async def step() -> tuple[list[str], bool]:
        nonlocal sent, profile, asked
        events = []
        if time.monotonic() - asked >= ACTIVE_EVERY_S:
            asked, was = time.monotonic(), profile
            profile = await asyncio.to_thread(store.setting, ACTIVE)
            if profile is None and (was is not None or sent == -1):
                sent = 0
                events.append(_event("view", {"profile": None}, 0))
        version, snapshot = accounts.want(profile)
        if snapshot is not None and version != sent:
            sent = version
            events.append(_event("view", snapshot, version))
        return events, False

    return _event_stream(request, step)


@router.post("/account/positions/{ticket}/close")
def close_account_position(body: CloseRequest, request: Request, ticket: int = PathParam(..., ge=1)) -> Any:
    """Close one position of the active account at the market (refused unless ``confirm`` is true), through the
    app's client of that account: journaled and checked by the profile's risk guards like every live order."""
    try:
        return _board(request).accounts.close_position(request.app.state.store.setting(ACTIVE), ticket, body.confirm)
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None
    except (ValueError, LiveRunError) as exc:
        return unprocessable(exc)


@router.post("/brokers")
def add_broker(body: ProfileRequest) -> Any:
    """Add a broker profile; a password given goes to the OS keyring, never to a file or back to the page."""
    data = body.model_dump(exclude={"password"})
    try:
        return live.add_profile(data, body.password)
    except ValueError as exc:
        return unprocessable(exc)


@router.delete("/brokers/{name}")
def remove_broker(request: Request, name: str = PathParam(..., pattern=_NAME)) -> dict[str, bool]:
    """Remove a broker profile (and make no profile active when it was the active one)."""
    if not live.remove_profile(name):
        raise refused(404, "web_http_no_profile", name=name)
    store = request.app.state.store
    if store.setting(ACTIVE) == name:
        store.set_setting(ACTIVE, None)
    return {"ok": True}


@router.get("/live")
def live_runs(request: Request) -> list[dict[str, Any]]:
    """The live runs of this app, newest first."""
    return _board(request).runs()


@router.post("/live", status_code=201)
def start_run(body: LiveStartRequest, request: Request) -> Any:
    """Start a strategy live on a profile (refused unless ``confirm`` is true)."""
    try:
        strategy, _spec = services.load_source(body.strategy)
        ident = _board(request).start(body, strategy, services.source_label(body.strategy))
    except (ParseError, SpecError, ValueError, LookupError, TypeError) as exc:
        return unprocessable(exc)
    return {"id": ident}


@router.get("/live/{ident}")
async def live_view(request: Request, ident: str = PathParam(..., pattern=_ID)) -> Any:
    """A live run's latest state: account, positions, orders, equity, journal, lines."""
    try:
        return await asyncio.to_thread(_board(request).view, ident)
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None


def _event(name: str, data: Any, ident: int | None = None) -> str:
    head = f"event: {name}\n" + (f"id: {ident}\n" if ident is not None else "")
    return head + "data: " + json.dumps(data, separators=(",", ":"), default=str) + "\n\n"


def _event_stream(request: Request, step: Callable[[], Awaitable[tuple[list[str], bool]]]) -> StreamingResponse:
    """A server-sent event stream: ``step()`` every :data:`STREAM_TICK_S` gives the events to send and whether the
    stream ends; a keep-alive comment after :data:`KEEP_ALIVE_S` of silence; closed when the page goes away or after
    :data:`STREAM_MAX_S` (the page's EventSource then reconnects)."""

    async def stream() -> AsyncIterator[str]:
        quiet = began = time.monotonic()
        yield "retry: 2000\n\n"
        while time.monotonic() - began < STREAM_MAX_S:
            events, finished = await step()
            for event in events:
                quiet = time.monotonic()
                yield event
            if finished:
                return
            if time.monotonic() - quiet >= KEEP_ALIVE_S:
                quiet = time.monotonic()
                yield ": keep-alive\n\n"
            if await request.is_disconnected():
                return
            await asyncio.sleep(STREAM_TICK_S)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@router.get("/live/{ident}/events")
async def live_events(request: Request, ident: str = PathParam(..., pattern=_ID)) -> StreamingResponse:
    """Server-sent events of a live run: a ``view`` event (what ``GET /api/live/{id}`` returns) each time the
    account, positions, orders, journal or lines change, then ``end`` once the run has stopped."""
    board = _board(request)
    try:
        board.latest(ident)
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None

    sent = -1

    async def step() -> tuple[list[str], bool]:
        nonlocal sent
        version, snapshot, final = board.latest(ident)
        events = []
        if snapshot is not None and version != sent:
            sent = version
            events.append(_event("view", snapshot, version))
        if final and version == sent:
            events.append(_event("end", {"id": ident}))
        return events, final and version == sent

    return _event_stream(request, step)


@router.post("/live/{ident}/stop")
def stop_run(request: Request, ident: str = PathParam(..., pattern=_ID)) -> Any:
    """Stop a live run (its positions stay on the account)."""
    try:
        return _board(request).stop(ident)
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None


@router.post("/live/{ident}/positions/{ticket}/close")
def close_position(body: CloseRequest, request: Request, ident: str = PathParam(..., pattern=_ID),
                   ticket: int = PathParam(..., ge=1)) -> Any:
    """Close one position of a running live run at the market (refused unless ``confirm`` is true)."""
    try:
        return _board(request).close_position(ident, ticket, body.confirm)
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None
    except ValueError as exc:
        return unprocessable(exc)
