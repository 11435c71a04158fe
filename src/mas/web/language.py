"""The language of each request, and the errors the API sends said in it.

The page sends its language (English, 繁體中文 or 简体中文, chosen in its menu) in the ``X-MAS-Lang`` header of every
API call. :class:`RequestLanguage` (an ASGI middleware) keeps it for the request, and for the background jobs the
request starts (they run in a copy of its context); :func:`said` renders an error in it (:func:`mas.i18n.localize`:
errors raised with a catalog key are translated, anything else is shown as it is). Without the header, English.
"""

from __future__ import annotations

import contextvars
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse

from mas.i18n import LANGUAGES, localize
from mas.i18n.errors import Text

__all__ = ["LANG_HEADER", "RequestLanguage", "refused", "request_lang", "said", "unprocessable"]

LANG_HEADER = "x-mas-lang"
"""The request header that names the page's language (``en``, ``zh-tw`` or ``zh-cn``)."""

_INTERRUPTED = str(Text("web_app_interrupted"))
_lang: contextvars.ContextVar[str] = contextvars.ContextVar("mas_web_lang", default="en")


def request_lang() -> str:
    """The language of the request being served ('en' outside a request or when the page named none)."""
    return _lang.get()


def said(value: Any) -> str:
    """``value`` (an error, a catalog text, anything) as text in the request's language."""
    return localize(value, _lang.get())


def said_reason(error: str | None) -> str | None:
    """A kept run's or sweep's reason in the request's language. The reason the app writes itself when it stops
    before a run ends is kept in English and said here; any other reason was said when its run ended."""
    return said(Text("web_app_interrupted")) if error == _INTERRUPTED else error


def unprocessable(exc: BaseException) -> JSONResponse:
    """The 422 answer to input the application refused: its message in the request's language."""
    text = said(exc)
    return JSONResponse({"detail": text, "error": {"kind": "invalid", "message": text}}, status_code=422)


def refused(status: int, key: str, /, **values: Any) -> HTTPException:
    """The HTTP error ``status`` whose detail is catalog message ``key`` in the request's language."""
    return HTTPException(status, said(Text(key, **values)))


def _from_header(value: str) -> str:
    lang = value.strip().lower().replace("_", "-")
    return lang if lang in LANGUAGES else "en"


class RequestLanguage:
    """ASGI middleware: each HTTP request's ``X-MAS-Lang`` header is :func:`request_lang` while it is served."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        header = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == LANG_HEADER.encode()), "")
        token = _lang.set(_from_header(header))
        try:
            await self.app(scope, receive, send)
        finally:
            _lang.reset(token)
