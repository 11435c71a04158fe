"""Start ``mas ui`` as a real server in a subprocess and read its URL from standard output (bounded waits)."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

URL = re.compile(r"(http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+))")


def ui_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "mas", "ui", "--no-browser", *args]


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


@contextmanager
def running_ui(home: Path, *args: str, env: dict[str, str] | None = None, wait: float = 120.0,
               kill: bool = False) -> Iterator[str]:
    """``mas ui --no-browser --port 0 ARGS`` on 127.0.0.1; yields the printed URL, then stops the server (with
    SIGKILL when ``kill``: no shutdown code runs, as when the machine loses power or the process is killed)."""
    with ui_process(home, *args, env=env, wait=wait, kill=kill) as (_proc, url):
        yield url


@contextmanager
def ui_process(home: Path, *args: str, env: dict[str, str] | None = None, wait: float = 120.0,
               kill: bool = False) -> Iterator[tuple[subprocess.Popen, str]]:
    """As :func:`running_ui`, yielding the server's process too (in a session of its own, so that a test can send
    the whole group Ctrl+C's SIGINT as a terminal does) with the URL; a server still running at the end is stopped."""
    environment = {**os.environ, "MAS_HOME": str(home), **(env or {})}
    proc = subprocess.Popen(ui_command("--port", "0", *args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=environment, start_new_session=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        seen = []
        url = None
        while url is None:
            try:
                line = lines.get(timeout=wait)
            except queue.Empty:
                raise AssertionError(f"mas ui printed no URL within {wait:g} s: {seen}") from None
            if line is None:
                raise AssertionError(f"mas ui ended before printing its URL: {seen} {proc.stderr.read()}")
            seen.append(line)
            match = URL.search(line)
            url = match.group(1) if match else None
        yield proc, url
    finally:
        if kill:
            proc.kill()
        else:
            proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
