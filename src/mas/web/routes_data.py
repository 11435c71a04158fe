"""The data page's API: what is stored, the quality of a series, removing a stored series, importing an uploaded
file (the raw body, at most :data:`MAX_UPLOAD` bytes) and downloads with progress and cancel. The work is
:mod:`mas.web.datastore`'s; like every state-changing request, removing and cancelling need the CSRF header."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field

from mas.i18n.errors import Text
from mas.web import datastore
from mas.web.language import refused, said, unprocessable
from mas.web.schemas import Day, Timeframe

router = APIRouter(prefix="/api/data")

MAX_UPLOAD = 200 * 1024 * 1024
"""The largest file the page may upload (bytes): a year of M1 bars in MT5's CSV is about 25 MB."""
_SYMBOL = r"^[A-Za-z0-9._#-]{1,32}$"
_FORMAT = r"^(mt5|histdata|dukascopy|csv)$"
_ID = r"^[0-9a-f]{32}$"



@router.get("")
def stored() -> Any:
    """Every stored series: symbol, timeframe, rows, first and last bar (UTC), gaps, source."""
    try:
        return datastore.stored()
    except (ValueError, OSError) as exc:  # a corrupt file: its message names it and the fix
        return unprocessable(exc)


@router.get("/check")
def check(symbol: str = Query(..., pattern=_SYMBOL), timeframe: Timeframe | None = None,
          ticks: bool = False) -> Any:
    """The quality of one symbol's stored bars (a timeframe or all) or ticks: problems and gaps."""
    try:
        return datastore.check(symbol, timeframe, ticks)
    except (ValueError, LookupError, OSError) as exc:
        return unprocessable(exc)


@router.delete("/stored/{symbol}")
def remove(symbol: str = PathParam(..., pattern=_SYMBOL), timeframe: Timeframe | None = None,
           ticks: bool = False) -> Any:
    """Delete a stored series of the user store (``mas data remove``): ``symbol``'s bars of ``timeframe``, or its
    ticks (``ticks=true``); what was deleted. 422 naming what is stored when that is not."""
    try:
        return datastore.remove(symbol, timeframe, ticks)
    except (ValueError, LookupError, OSError) as exc:
        return unprocessable(exc)


@router.post("/import")
async def import_upload(request: Request, symbol: str = Query(..., pattern=_SYMBOL),
                        name: str = Query("upload.csv", max_length=255), timeframe: Timeframe | None = None,
                        tz_offset: float | None = Query(None, ge=-14, le=14),
                        file_format: str | None = Query(None, alias="format", pattern=_FORMAT)) -> Any:
    """Import the request body (the file's bytes) as ``mas data import FILE --symbol ...`` does."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_UPLOAD:
        raise refused(413, "web_http_upload_declared_too_big", size=int(declared), limit=MAX_UPLOAD, symbol=symbol)
    with tempfile.TemporaryDirectory(prefix="mas-upload-") as folder:
        path = Path(folder) / datastore.upload_name(name)
        size = 0
        with path.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise refused(413, "web_http_upload_too_big", limit=MAX_UPLOAD, symbol=symbol)
                out.write(chunk)
        if size == 0:
            return unprocessable(ValueError(Text("web_http_upload_empty")))
        try:
            report = await asyncio.to_thread(datastore.import_upload, path, symbol, timeframe, tz_offset,
                                             file_format)
        except (ValueError, LookupError, OSError) as exc:
            message = str(exc).replace(str(path), name).replace(path.name, name)
            return unprocessable(ValueError(f"file: {message}"))
    return report


class DownloadRequest(BaseModel):
    """A download of ``symbol`` for the UTC days from..to: Dukascopy's M1 bars (or ticks), or a broker profile's
    bars of ``timeframe`` (or ticks)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    symbol: str = Field(pattern=_SYMBOL)
    date_from: Day = Field(alias="from")
    date_to: Day = Field(alias="to")
    ticks: bool = False
    profile: str | None = Field(None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    """Download from this broker profile's terminal instead of Dukascopy."""
    timeframe: Timeframe = "M1"


@router.post("/downloads", status_code=202)
def start_download(body: DownloadRequest, request: Request) -> Any:
    """Start a download in the background; its id (poll ``GET /api/data/downloads/{id}`` for the progress)."""
    try:
        first, last = date.fromisoformat(body.date_from), date.fromisoformat(body.date_to)
        ident = request.app.state.downloads.start(body.symbol, first, last, body.ticks, profile=body.profile,
                                                  timeframe=body.timeframe)
    except ValueError as exc:
        return unprocessable(exc)
    return {"id": ident}


@router.get("/downloads/{ident}")
def download(request: Request, ident: str = PathParam(..., pattern=_ID)) -> dict[str, Any]:
    """A download's state, files done of the total, and what it stored."""
    try:
        return request.app.state.downloads.view(ident)
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None


@router.post("/downloads/{ident}/cancel")
def cancel_download(request: Request, ident: str = PathParam(..., pattern=_ID)) -> dict[str, Any]:
    """Cancel a running download: it stops before its next file and ends "cancelled"; its state now."""
    try:
        return request.app.state.downloads.cancel(ident)
    except LookupError as exc:
        raise HTTPException(404, said(exc)) from None
