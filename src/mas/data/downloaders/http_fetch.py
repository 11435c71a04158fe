"""HTTP GET with retries and exponential backoff, where "404 Not Found" is an answer, not an error."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from mas.i18n.errors import Text, text_of

USER_AGENT = "mas-sdk data downloader"
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class FetchError(OSError):
    """A URL that could not be fetched after every retry; says what failed last."""


def fetch_with_retries(
    url: str,
    *,
    retries: int = 4,
    backoff_seconds: float = 0.5,
    timeout: float = 30.0,
    validate: Callable[[bytes], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes | None:
    """The body of ``url``, or None when the server answers 404 (no such file).

    Network errors, timeouts, the statuses in :data:`RETRY_STATUSES` and bodies that ``validate``
    rejects (it raises ValueError) are retried up to ``retries`` times, waiting
    ``backoff_seconds * 2**attempt`` before each retry; other HTTP errors fail at once.
    """
    last_problem = ""
    for attempt in range(retries + 1):
        if attempt:
            sleep(backoff_seconds * 2 ** (attempt - 1))
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            last_problem = f"HTTP {error.code} {error.reason}"
            if error.code not in RETRY_STATUSES:
                break
            continue
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            last_problem = f"{type(error).__name__}: {getattr(error, 'reason', error)}"
            continue
        if validate is not None:
            try:
                validate(body)
            except ValueError as error:
                last_problem = text_of(error)
                continue
        return body
    raise FetchError(Text("fetch_failed", url=url, problem=last_problem, attempts=attempt + 1))
