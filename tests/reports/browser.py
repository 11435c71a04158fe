"""A headless Chromium for the report tests: Debian's Chromium driven by Playwright for Python (``executable_path=
"/usr/bin/chromium"``, never a downloaded browser: no ``playwright install``), as tests/web does.

:class:`Browser` opens local ``file://`` pages, each in a fresh context; :class:`Page` keeps the few calls the report
tests make (evaluate, wait_for, screenshot) and collects console errors and every requested URL. Every network
service Chromium has is switched off by flags. :func:`dump_dom` runs Chromium's own ``--dump-dom`` with a virtual
time budget.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")

COMMON_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--enable-unsafe-swiftshader",  # software WebGL for the large charts (no GPU in CI)
    "--hide-scrollbars",
    "--mute-audio",
]


class BrowserError(RuntimeError):
    """Chromium could not be started or ``--dump-dom`` failed."""


class Browser:
    """One headless Chromium (Playwright); use as a context manager."""

    def __init__(self, profile_dir: Path | None = None, width: int = 1280, height: int = 900) -> None:
        self.profile_dir = None if profile_dir is None else Path(profile_dir)  # kept for the callers; unused
        self.width, self.height = width, height
        self._playwright: Any = None
        self._browser: Any = None

    def __enter__(self) -> Browser:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=[f for f in COMMON_FLAGS if f != "--headless"])
        except Exception as exc:
            self._playwright.stop()
            raise BrowserError(f"{CHROMIUM} did not start: {exc}") from exc
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._browser.close()
        finally:
            self._playwright.stop()

    def open(self, path: Path, timeout: float = 30.0) -> Page:
        """Open ``path`` (a local file) in a new context and wait for its load event."""
        context = self._browser.new_context(viewport={"width": self.width, "height": self.height},
                                            device_scale_factor=1)
        page = Page(context.new_page())
        started = time.monotonic()
        page.pw.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=timeout * 1000)
        page.load_seconds = time.monotonic() - started
        return page


class Page:
    """A Playwright page (``pw``) with the calls the report tests make."""

    def __init__(self, pw_page: Any) -> None:
        self.pw = pw_page
        self.load_seconds = float("nan")
        self._errors: list[str] = []
        self._urls: list[str] = []
        pw_page.on("console", lambda m: self._errors.append(m.text) if m.type in ("error", "assert") else None)
        pw_page.on("pageerror", lambda exc: self._errors.append(str(exc)))
        pw_page.on("requestfailed", lambda r: self._errors.append(f"{r.url}: {r.failure}"))
        pw_page.on("request", lambda r: self._urls.append(r.url))

    def evaluate(self, expression: str) -> Any:
        """The JSON value of ``expression`` (promises are awaited); a page exception raises."""
        return self.pw.evaluate(expression)

    def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        """Poll ``expression`` until it is truthy; return its value."""
        return self.pw.wait_for_function(expression, timeout=timeout * 1000).json_value()

    def console_errors(self) -> list[str]:
        """Uncaught exceptions, console.error/assert calls and failed requests."""
        return list(self._errors)

    def requested_urls(self) -> list[str]:
        """Every URL the page requested, in order."""
        return list(self._urls)

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """Save a PNG of the page (the whole scroll height with ``full_page``)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pw.screenshot(path=str(path), full_page=full_page)
        return path


def dump_dom(path: Path, profile_dir: Path, budget_ms: int = 10_000, timeout: float = 60.0) -> tuple[str, float]:
    """The DOM of ``path`` after its scripts ran within a virtual time budget, and the wall seconds.

    Chromium's own ``--dump-dom`` with ``--virtual-time-budget``: the page is serialised once the
    budget of virtual time (timers, animation frames) is spent or the page went idle.
    """
    args = [
        str(CHROMIUM),
        *COMMON_FLAGS,
        f"--user-data-dir={profile_dir}",
        f"--virtual-time-budget={budget_ms}",
        "--dump-dom",
        Path(path).resolve().as_uri(),
    ]
    started = time.monotonic()
    done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise BrowserError(f"chromium --dump-dom exited {done.returncode}: {done.stderr[-2000:]!r}")
    return done.stdout.decode("utf-8", errors="replace"), elapsed
