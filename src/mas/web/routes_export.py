"""The executable export's API: whether PyInstaller is installed (else how to get it), a build of a strategy's
program as a background job with progress and cancel, and the built file as a download."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse

from mas.strategy.parse import ParseError
from mas.strategy.spec import SpecError
from mas.web import executables, services
from mas.web.language import refused, unprocessable
from mas.web.schemas import ExportRequest, FileSource

router = APIRouter(prefix="/api/export/exe")

_ID = r"^[0-9a-f]{32}$"


def _builds(request: Request) -> executables.Builds:
    return request.app.state.builds


@router.get("")
def exe_available() -> dict[str, Any]:
    """Whether executables can be built here, and the command that installs what they need."""
    return {"available": executables.available(), "install": executables.INSTALL}


@router.post("", status_code=202)
def start_build(body: ExportRequest, request: Request) -> Any:
    """Build the program of the strategy (as Export writes it) into one executable file; the build's id."""
    if not executables.available():
        from mas.i18n.errors import Text

        message = Text("web_app_exe_missing", install=executables.INSTALL)
        return JSONResponse({"detail": message, "install": executables.INSTALL}, status_code=409)
    try:
        if isinstance(body.strategy, FileSource):
            files = services.file_program(body, body.strategy)
            strategy, runner = list(files)
            ident = _builds(request).start(files, runner, data=(strategy,), modules=(strategy[:-3],))
        else:
            name, content, _media = services.export(body)
            ident = _builds(request).start({name: content.encode("utf-8") if isinstance(content, str) else content},
                                           name)
    except (ParseError, SpecError, ValueError, LookupError, TypeError) as exc:
        return unprocessable(exc)
    return {"id": ident, "state": "queued"}


def _build(request: Request, ident: str) -> dict[str, Any]:
    build = _builds(request).get(ident)
    if build is None:
        raise refused(404, "web_http_no_build", ident=ident)
    return build


@router.get("/{ident}")
def build_state(request: Request, ident: str = PathParam(..., pattern=_ID)) -> dict[str, Any]:
    """A build's state, the PyInstaller log lines so far and the last one, its error or its file name."""
    return _build(request, ident)


@router.post("/{ident}/cancel")
def cancel_build(request: Request, ident: str = PathParam(..., pattern=_ID)) -> dict[str, Any]:
    """Stop a build (PyInstaller is ended); nothing of it is kept."""
    _build(request, ident)
    _builds(request).cancel(ident)
    return _build(request, ident)


@router.get("/{ident}/file")
def build_file(request: Request, ident: str = PathParam(..., pattern=_ID)) -> Any:
    """The built executable, once the build is done."""
    _build(request, ident)
    path = _builds(request).path(ident)
    if path is None or not path.is_file():
        raise refused(409, "web_http_build_no_file", ident=ident)
    return FileResponse(path, media_type="application/octet-stream", filename=path.name)
