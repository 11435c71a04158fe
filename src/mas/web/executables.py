"""One-file executables of exported programs, built by PyInstaller (the optional extra ``mas-sdk[exe]``) in the
background, as ``mas strategy export --exe`` builds them.

A build writes the program's files under ``$MAS_HOME/ui-exe/ID``, runs PyInstaller on them in a child process
(PyInstaller reads the program and packs it; nothing of the program runs here), reports the log lines it has
written so far and the last one as its progress, and can be cancelled (the child is ended). Builds live in this
process's memory; their files stay until the app forgets the build.
"""

from __future__ import annotations

import importlib.util
import logging
import shutil
import subprocess
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

__all__ = ["INSTALL", "Builds", "available"]

log = logging.getLogger("mas.web")
INSTALL = 'pip install "mas-sdk[exe]"'
"""How a user gets PyInstaller for the executable export."""
FOLDER = "ui-exe"
MAX_BUILDS = 10
_ENDED = ("done", "failed", "cancelled")


def available() -> bool:
    """True when PyInstaller can be run (``mas-sdk[exe]`` installed)."""
    return importlib.util.find_spec("PyInstaller") is not None


def _phase(line: str) -> str:
    """A PyInstaller log line without its time stamp (``1234 INFO: Building EXE`` -> ``Building EXE``)."""
    head, _, rest = line.partition(": ")
    return (rest if rest and head.split(" ")[-1].isupper() else line).strip()[:200]


class Builds:
    """Executable builds of this process: state, log lines so far, the last one, the error or the file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mas-web-exe")
        self._builds: dict[str, dict[str, Any]] = {}
        self._procs: dict[str, subprocess.Popen[str]] = {}
        self._lock = threading.Lock()

    def start(self, files: dict[str, bytes], main: str, *, data: tuple[str, ...] = (),
              modules: tuple[str, ...] = ()) -> str:
        """Queue the build of ``files`` (name -> content) with ``main`` the program to build; its id.
        RuntimeError naming the install command when PyInstaller is not installed."""
        from mas.i18n.errors import Text

        if not available():
            raise RuntimeError(Text("web_app_exe_missing", install=INSTALL))
        ident = uuid.uuid4().hex
        with self._lock:
            self._forget_old()
            self._builds[ident] = {"id": ident, "state": "queued", "lines": 0, "phase": "", "error": None,
                                   "file": None}
        self._pool.submit(self._build, ident, files, main, data, modules)
        return ident

    def _forget_old(self) -> None:
        ended = [i for i, b in self._builds.items() if b["state"] in _ENDED]
        while len(self._builds) >= MAX_BUILDS and ended:
            old = ended.pop(0)
            del self._builds[old]
            shutil.rmtree(self.root / old, ignore_errors=True)

    def _set(self, ident: str, **values: Any) -> bool:
        with self._lock:
            build = self._builds.get(ident)
            if build is None or build["state"] == "cancelled":
                return False
            build.update(values)
            return True

    def _build(self, ident: str, files: dict[str, bytes], main: str, data: tuple[str, ...],
               modules: tuple[str, ...]) -> None:
        from mas.strategy.export import executable_command

        folder = self.root / ident
        source = folder / "src"
        try:
            source.mkdir(parents=True, exist_ok=True)
            for name, content in files.items():
                (source / name).write_bytes(content)
            command = executable_command(str(source / main), str(folder / "dist"), str(folder / "build"),
                                         data=tuple(str(source / d) for d in data), modules=modules)
            with self._lock:
                if self._builds[ident]["state"] == "cancelled":
                    return
                proc = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, text=True, errors="replace")
                self._procs[ident] = proc
                self._builds[ident]["state"] = "running"
            last, count = "", 0
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.strip():
                    count, last = count + 1, _phase(line)
                    self._set(ident, lines=count, phase=last)
            code = proc.wait()
        except OSError as exc:
            self._set(ident, state="failed", error=str(exc))
            return
        finally:
            with self._lock:
                self._procs.pop(ident, None)
        built = [p for p in (folder / "dist").glob("*") if p.is_file()]
        if code == 0 and built:
            self._set(ident, state="done", file=built[0].name)
        else:
            self._set(ident, state="failed", error=f"PyInstaller exit code {code}: {last}")

    def get(self, ident: str) -> dict[str, Any] | None:
        """A build's state, or None."""
        with self._lock:
            build = self._builds.get(ident)
            return None if build is None else dict(build)

    def path(self, ident: str) -> Path | None:
        """The built executable, once the build is done; else None."""
        build = self.get(ident)
        if build is None or build["state"] != "done" or not build["file"]:
            return None
        return self.root / ident / "dist" / build["file"]

    def cancel(self, ident: str) -> bool:
        """Stop a queued or running build (PyInstaller is ended); False when it had ended."""
        with self._lock:
            build = self._builds.get(ident)
            if build is None or build["state"] in _ENDED:
                return False
            build["state"] = "cancelled"
            proc = self._procs.get(ident)
        if proc is not None:
            proc.terminate()
        return True

    def shutdown(self) -> None:
        """End every build."""
        with self._lock:
            idents = list(self._builds)
        for ident in idents:
            self.cancel(ident)
        self._pool.shutdown(wait=False, cancel_futures=True)
