"""The ASGI app: pages, the package's static files (plotly.js included, so it works offline) and the API.

``create_app(config)`` builds one app over ``$MAS_HOME/ui.sqlite3`` (or ``config.home``); runs left unfinished
by a previous process are marked failed when it starts.
"""

from __future__ import annotations

import os
import secrets
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from mas.i18n.errors import Text
from mas.web.datastore import DEFAULT_FEED, Downloads
from mas.web.executables import FOLDER as FOLDER_EXE
from mas.web.executables import Builds
from mas.web.instances import Instance, instance_alive
from mas.web.jobs import JobRunner
from mas.web.language import RequestLanguage
from mas.web.live import LiveBoard
from mas.web.optimizing import Sweeps
from mas.web.security import Auth, SecurityConfig, csrf_cookie, install_guard, session_cookie
from mas.web.store import Store
from mas.web.worker import stop_all as stop_workers

__all__ = ["STATIC", "WebConfig", "create_app", "plotly_js"]

STATIC = Path(__file__).parent / "static"
DB_NAME = "ui.sqlite3"
DATA_FEED_ENV = "MAS_DUKASCOPY_URL"
INSTANCES = "ui-instances"  # one lock file per running app (see mas.web.instances)


@dataclass
class WebConfig:
    """One server: where it listens and how one enters (``security``), where its state lives, how many workers."""

    security: SecurityConfig = field(default_factory=SecurityConfig)
    home: Path | None = None
    workers: int = 2
    data_feed: str = field(default_factory=lambda: os.environ.get(DATA_FEED_ENV) or DEFAULT_FEED)
    """The Dukascopy datafeed the data page downloads from: ``$MAS_DUKASCOPY_URL`` (a mirror, or a test's server
    on 127.0.0.1), else Dukascopy's own."""


def plotly_js() -> Path:
    """plotly.js as bundled in the installed ``plotly`` Python package."""
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(Text("web_app_no_plotly", path=path))
    return path


def _home(config: WebConfig) -> Path:
    if config.home is not None:
        return Path(config.home)
    from mas.data.store import mas_home

    return mas_home()


def _readable(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = list(err.get("loc", ()))
        loc = ".".join(str(x) for x in (where[1:] if where[:1] == ["body"] else where)) or "request body"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if err.get("type") == "json_invalid":
            message = f"not valid JSON ({message})"
        parts.append(f"{loc}: {message}")
    return "; ".join(dict.fromkeys(parts)) or "invalid request"


def create_app(config: WebConfig | None = None) -> FastAPI:
    """The web app for ``config`` (defaults: 127.0.0.1:8050, a fresh token, ``$MAS_HOME``)."""
    from mas.web.routes import router
    from mas.web.routes_data import router as data_router
    from mas.web.routes_export import router as export_router
    from mas.web.routes_groups import router as groups_router
    from mas.web.routes_live import router as live_router
    from mas.web.routes_optimize import router as optimize_router

    config = config or WebConfig()
    auth = Auth(config.security)
    home = _home(config)
    store = Store(home / DB_NAME)
    instance = Instance(home / INSTANCES)
    store.fail_unfinished(lambda owner: instance_alive(home / INSTANCES, owner))
    jobs = JobRunner(store, workers=config.workers, owner=instance.id)
    sweeps = Sweeps(store=store)
    live = LiveBoard()
    downloads = Downloads(config.data_feed)
    builds = Builds(home / FOLDER_EXE)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        yield
        live.shutdown()
        downloads.shutdown()
        sweeps.shutdown()
        builds.shutdown()
        jobs.shutdown()
        stop_workers()  # a fast run's or a sweep's worker process ends now, not when its work is done
        store.close()
        instance.release()

    app = FastAPI(title="mas ui", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.auth, app.state.store, app.state.jobs = auth, store, jobs
    app.state.sweeps, app.state.live, app.state.downloads = sweeps, live, downloads
    app.state.builds = builds
    install_guard(app, auth)
    app.add_middleware(RequestLanguage)  # the page's language (X-MAS-Lang) for the errors each request answers

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _readable(exc)}, status_code=422)

    session_name, csrf_name = session_cookie(auth.port), csrf_cookie(auth.port)

    def _with_csrf_cookie(response: Response, request: Request) -> Response:
        if not request.cookies.get(csrf_name):  # the login form's double-submit token
            response.set_cookie(csrf_name, secrets.token_urlsafe(32), httponly=False, samesite="strict", path="/")
        return response

    @app.get("/", include_in_schema=False)
    async def index(request: Request) -> Response:
        token = request.query_params.get("token")
        if token is not None:
            if not auth.token_ok(token):
                return JSONResponse({"detail": "wrong or outdated access token: use the URL 'mas ui' printed "
                                               "this time (a new token is made at every start)"}, status_code=403)
            session_id, csrf = auth.open_session()
            response: Response = RedirectResponse("/", status_code=303)  # the token leaves the address bar
            response.set_cookie(session_name, session_id, httponly=True, samesite="strict", path="/")
            response.set_cookie(csrf_name, csrf, httponly=False, samesite="strict", path="/")
            return response
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/login", include_in_schema=False)
    async def login_page(request: Request) -> Response:
        return _with_csrf_cookie(FileResponse(STATIC / "login.html", media_type="text/html"), request)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    async def plotly_bundle() -> Response:
        return FileResponse(plotly_js(), media_type="text/javascript")

    @app.get("/static/vendor/trademarkers.js", include_in_schema=False)
    async def trade_markers_script() -> Response:  # the trade chart's marker grouping, shared with the reports
        from mas.reports.trade_markers import markers_js

        return Response(markers_js(), media_type="text/javascript")

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        return Response(status_code=204)

    app.include_router(router)
    app.include_router(optimize_router)
    app.include_router(export_router)
    app.include_router(live_router)
    app.include_router(data_router)
    app.include_router(groups_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
