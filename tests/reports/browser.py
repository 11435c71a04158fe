"""A headless Chromium for the report tests, driven through the DevTools protocol over a pipe.

No driver package is needed: Chromium is started with ``--remote-debugging-pipe`` and reads
NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4. Only ``file://`` pages
are opened and every network service Chromium has is switched off.
"""

from __future__ import annotations

import base64
import json
import os
import select
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
    """Chromium did not answer, answered with an error, or a page condition timed out."""


class Browser:
    """One headless Chromium process; use as a context manager."""

    def __init__(self, profile_dir: Path, width: int = 1280, height: int = 900) -> None:
        self.profile_dir = Path(profile_dir)
        self.width, self.height = width, height
        self._proc: subprocess.Popen[bytes] | None = None
        self._buf = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Browser:
        import fcntl  # POSIX only, like the pipe protocol itself

        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire_fds() -> None:  # in the child, before exec: the pipe ends become fds 3 and 4
            a = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [
            str(CHROMIUM),
            *COMMON_FLAGS,
            f"--user-data-dir={self.profile_dir}",
            f"--window-size={self.width},{self.height}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        self._proc = subprocess.Popen(
            args, preexec_fn=wire_fds, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        os.close(to_child_r)
        os.close(from_child_w)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._proc is not None and self._proc.poll() is None:
                try:
                    self._send("Browser.close")
                    self._proc.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired, BrowserError):
                    self._proc.kill()
                    self._proc.wait(timeout=10)
        finally:
            os.close(self._to_child)
            os.close(self._from_child)

    # ------------------------------------------------------------------ protocol

    def _send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        return self._next_id

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None, timeout: float = 30.0
    ) -> dict[str, Any]:
        """Send a command and return its ``result``; events that arrive meanwhile go to ``events``."""
        wanted = self._send(method, params, session)
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                message = json.loads(raw)
                if message.get("id") == wanted:
                    if "error" in message:
                        raise BrowserError(f"{method}: {message['error']}")
                    return message.get("result", {})
                if "method" in message:
                    self.events.append(message)
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_child], [], [], max(0.0, left))
            if not ready:
                raise BrowserError(f"{method}: no answer within {timeout} s")
            chunk = os.read(self._from_child, 1 << 20)
            if not chunk:
                raise BrowserError(f"{method}: Chromium closed the pipe")
            self._buf += chunk

    def open(self, path: Path, timeout: float = 30.0) -> Page:
        """Open ``path`` (a local file) in a new tab and wait for its load event."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Runtime", "Log", "Page", "Network"):
            self.call(f"{domain}.enable", session=session)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        started = time.monotonic()
        self.call("Page.navigate", {"url": Path(path).resolve().as_uri()}, session=session, timeout=timeout)
        while not page.events("Page.loadEventFired"):
            if time.monotonic() - started > timeout:
                raise BrowserError(f"{path}: no load event within {timeout} s")
            self.call("Runtime.evaluate", {"expression": "0"}, session=session)
            time.sleep(0.02)
        page.load_seconds = time.monotonic() - started
        return page


class Page:
    """A tab attached with a flat session."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser, self.session = browser, session
        self.load_seconds = float("nan")

    def events(self, method: str) -> list[dict[str, Any]]:
        mine = (e for e in self.browser.events if e.get("sessionId") == self.session)
        return [e["params"] for e in mine if e["method"] == method]

    def evaluate(self, expression: str, timeout: float = 30.0) -> Any:
        """The JSON value of ``expression`` (promises are awaited); a page exception raises."""
        reply = self.browser.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
            timeout=timeout,
        )
        if "exceptionDetails" in reply:
            raise BrowserError(f"{expression[:80]}...: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20.0) -> Any:
        """Poll ``expression`` until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out after {timeout} s waiting for {expression!r}")
            time.sleep(0.05)

    def mouse(self, kind: str, x: float, y: float, buttons: int = 1, click_count: int = 1) -> None:
        """One mouse event (``mouseMoved``, ``mousePressed``, ``mouseReleased``) at viewport ``(x, y)``."""
        self.browser.call(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": "left", "buttons": buttons, "clickCount": click_count},
            session=self.session,
        )

    def console_errors(self) -> list[str]:
        """Uncaught exceptions, console.error/assert calls and error-level log entries."""
        out = [str(e["exceptionDetails"].get("exception", {}).get("description") or e["exceptionDetails"]["text"])
               for e in self.events("Runtime.exceptionThrown")]
        for e in self.events("Runtime.consoleAPICalled"):
            if e["type"] in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in e["args"]))
        out += [f"{e['entry']['source']}: {e['entry']['text']}" for e in self.events("Log.entryAdded")
                if e["entry"]["level"] == "error"]
        return out

    def requested_urls(self) -> list[str]:
        return [e["request"]["url"] for e in self.events("Network.requestWillBeSent")]

    def screenshot(self, path: Path, full_page: bool = True) -> Path:
        """Save a PNG of the page (the whole scroll height with ``full_page``)."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": full_page}
        if full_page:
            size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
        data = self.browser.call("Page.captureScreenshot", params, session=self.session, timeout=60)["data"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
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
