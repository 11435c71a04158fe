"""The brokers and live pages' API: profiles (never a password), live runs (start and stop, confirmed), the
account of a run (polled by the page) and closing a position after an explicit confirmation."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from mas.strategy.parse import ParseError
from mas.strategy.spec import SpecError
from mas.web import live, services
from mas.web.schemas import LiveStartRequest

router = APIRouter(prefix="/api")

_ID = r"^[0-9a-f]{32}$"
_NAME = r"^[A-Za-z0-9_.-]{1,64}$"


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
    model_config = ConfigDict(extra="forbid")
    confirm: bool = False


def _unprocessable(exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc), "error": {"kind": "invalid", "message": str(exc)}}, status_code=422)


def _board(request: Request) -> live.LiveBoard:
    return request.app.state.live


@router.get("/brokers")
def brokers() -> Any:
    try:
        return live.profiles()
    except ValueError as exc:  # a profiles file that cannot be read: its message names it
        return _unprocessable(exc)


@router.post("/brokers")
def add_broker(body: ProfileRequest) -> Any:
    data = body.model_dump(exclude={"password"})
    try:
        return live.add_profile(data, body.password)
    except ValueError as exc:
        return _unprocessable(exc)


@router.delete("/brokers/{name}")
def remove_broker(name: str = PathParam(..., pattern=_NAME)) -> dict[str, bool]:
    if not live.remove_profile(name):
        raise HTTPException(404, f"no broker profile {name}")
    return {"ok": True}


@router.get("/live")
def live_runs(request: Request) -> list[dict[str, Any]]:
    return _board(request).runs()


@router.post("/live", status_code=201)
def start_run(body: LiveStartRequest, request: Request) -> Any:
    try:
        strategy, _spec = services.load_source(body.strategy)
        ident = _board(request).start(body, strategy, services.source_label(body.strategy))
    except (ParseError, SpecError, ValueError, LookupError, TypeError) as exc:
        return _unprocessable(exc)
    return {"id": ident}


@router.get("/live/{ident}")
async def live_view(request: Request, ident: str = PathParam(..., pattern=_ID)) -> Any:
    try:
        return await asyncio.to_thread(_board(request).view, ident)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/live/{ident}/stop")
def stop_run(request: Request, ident: str = PathParam(..., pattern=_ID)) -> Any:
    try:
        return _board(request).stop(ident)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None


@router.post("/live/{ident}/positions/{ticket}/close")
def close_position(body: CloseRequest, request: Request, ident: str = PathParam(..., pattern=_ID),
                   ticket: int = PathParam(..., ge=1)) -> Any:
    try:
        return _board(request).close_position(ident, ticket, body.confirm)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:
        return _unprocessable(exc)
