"""Where report files go, what they are called, and how they are written.

- :func:`resolve_report_dir`: ``params["report_dir"]``, else ``$MAS_REPORT_DIR``, else
  ``./mas_reports``; created if missing.
- :func:`report_file_name`: ``<kind>_<symbol>_<strategy>_<YYYYmmdd-HHMMSS>.html`` with every part
  reduced to filesystem-safe characters.
- :func:`write_text_atomic`: temp file in the target directory, fsync, ``os.replace``; a reader
  never sees a half-written report and a failed write leaves no temp file behind. The file gets
  the permissions of an ordinary new file (``0o666`` minus the umask), not the temp file's 0600.
- :func:`write_plotly_asset`: the report folder's one copy of plotly.js (``plotly-<version>.min.js``),
  which the pages load with a relative ``<script src>``; written atomically once and reused.
"""

from __future__ import annotations

import os
import re
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ENV_REPORT_DIR = "MAS_REPORT_DIR"
DEFAULT_REPORT_DIR = "mas_reports"

_UNSAFE = re.compile(r"[^A-Za-z0-9.-]+")
_MAX_PART = 60


def resolve_report_dir(params: dict[str, Any] | None = None) -> Path:
    """Return the report directory (created if missing).

    Order: ``params["report_dir"]`` if given and non-empty, else ``$MAS_REPORT_DIR``, else
    ``./mas_reports`` relative to the current working directory. ``~`` is expanded.
    """
    raw: Any = None
    if params:
        raw = params.get("report_dir")
    if raw is None or str(raw).strip() == "":
        raw = os.environ.get(ENV_REPORT_DIR) or DEFAULT_REPORT_DIR
    path = Path(str(raw)).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def safe_part(text: Any, default: str = "x") -> str:
    """Reduce ``text`` to ``[A-Za-z0-9.-_]``, no leading dots, at most 60 characters."""
    s = _UNSAFE.sub("_", str(text if text is not None else "")).strip("._")
    s = s[:_MAX_PART].strip("._")
    return s or default


def report_file_name(
    kind: str,
    symbol: str | None,
    strategy: str | None,
    when: datetime | None = None,
    ext: str = ".html",
) -> str:
    """File name ``<kind>_<symbol>_<strategy>_<YYYYmmdd-HHMMSS>{ext}``, filesystem-safe.

    ``when`` defaults to now (UTC); a naive ``when`` is used as given. Characters outside
    ``[A-Za-z0-9.-]`` become ``_`` (so ``../x`` or ``a/b`` cannot escape the report directory).
    """
    if when is None:
        when = datetime.now(timezone.utc)
    stamp = when.strftime("%Y%m%d-%H%M%S")
    ext = ext if ext.startswith(".") or not ext else "." + ext
    ext = "." + safe_part(ext[1:], "html") if ext else ""
    parts = [safe_part(kind, "report"), safe_part(symbol, "ALL"), safe_part(strategy, "strategy"), stamp]
    return "_".join(parts) + ext


def unique_path(path: Path) -> Path:
    """``path`` if it does not exist yet, else ``stem-1.ext``, ``stem-2.ext``, ..."""
    if not path.exists():
        return path
    i = 1
    while True:
        candidate = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not candidate.exists():
            return candidate
        i += 1


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically and return the path.

    The text goes to a temp file in the same directory, is flushed and fsynced, given the mode of an
    ordinary new file, then renamed over ``path`` with ``os.replace``. On any error the temp file is
    removed and the error re-raised.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if os.name == "posix":
            os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(target.parent)
    return target


def _umask() -> int:
    """The process umask, read without changing it where /proc allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    """Persist the rename where the platform allows it (no-op on Windows)."""
    if os.name != "posix":
        return
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def plotly_asset_name() -> str:
    """``plotly-<plotly.js version>.min.js``: the shared asset's file name."""
    from plotly.offline.offline import get_plotlyjs_version

    return f"plotly-{safe_part(get_plotlyjs_version(), 'js')}.min.js"


def write_plotly_asset(report_dir: str | os.PathLike[str]) -> str:
    """Put plotly.js beside the reports in ``report_dir`` once; return its name (a relative URL).

    A file of that name with the right size is reused as it is; a missing, truncated or otherwise wrong
    one is (re)written atomically, so concurrent writers only ever replace it with the same content.
    """
    from plotly.offline.offline import get_plotlyjs

    name = plotly_asset_name()
    target = Path(report_dir) / name
    data = get_plotlyjs().encode("utf-8")
    try:
        if target.stat().st_size == len(data):
            return name
    except FileNotFoundError:
        pass
    write_text_atomic(target, data.decode("utf-8"))
    return name


def write_shared_asset(report_dir: str | os.PathLike[str], name: str, text: str) -> str:
    """Put a script shared by the pages of ``report_dir`` beside them once, as ``name`` (a content-hashed file name),
    and return ``name`` (a relative URL). A file of that name with other content is rewritten atomically."""
    target = Path(report_dir) / name
    try:
        if target.read_text(encoding="utf-8") == text:
            return name
    except (FileNotFoundError, UnicodeDecodeError):
        pass
    write_text_atomic(target, text)
    return name
