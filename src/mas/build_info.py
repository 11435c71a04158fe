"""Which build of the backtest engine is running: compiled to C by mypyc at install time, or the
plain Python modules (when no C compiler or mypyc was available, or ``MAS_PURE_PYTHON=1`` was set
during the install). Both behave the same; the compiled one is faster.

The list of compiled modules is the one in ``setup.py``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import warnings
from pathlib import Path

ENGINE_MODULES = (
    "mas.params",
    "mas.terminal.types",
    "mas.sessions.events",
    "mas.sim.records",
    "mas.sim.symbols",
    "mas.sim.account",
    "mas.sim.market",
    "mas.sim.book",
    "mas.sim.checks",
    "mas.sim.matching",
    "mas.sim.terminal",
    "mas.sim.clock",
    "mas.results",
)

ENGINE_GROUP = "mas_engine"
"""mypyc's name for the shared library of the compiled modules (``mas_engine__mypyc``)."""

_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _compiled_file(module: str) -> Path | None:
    """The compiled extension that Python would load for ``module``, if there is one."""
    source = _PACKAGE_ROOT.joinpath(*module.split(".")).with_suffix(".py")
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        candidate = source.with_suffix(suffix)
        if candidate.exists():
            return candidate
    return None


def engine_build() -> str:
    """``"compiled"`` when every engine module is loaded from its mypyc extension, ``"pure Python"``
    when none is, ``"partly compiled"`` otherwise."""
    compiled = [not str(getattr(importlib.import_module(name), "__file__", "")).endswith(".py")
                for name in ENGINE_MODULES]
    if all(compiled):
        return "compiled"
    return "partly compiled" if any(compiled) else "pure Python"


def stale_compiled_modules(tolerance_seconds: float = 2.0) -> list[str]:
    """Engine modules whose source file is newer than their compiled extension: an editable install
    that was edited after it was built (Python would run the old compiled code)."""
    stale = []
    for name in ENGINE_MODULES:
        compiled = _compiled_file(name)
        if compiled is None:
            continue
        source = compiled.with_name(compiled.name.split(".")[0] + ".py")
        if source.exists() and source.stat().st_mtime > compiled.stat().st_mtime + tolerance_seconds:
            stale.append(name)
    return stale


def warn_if_stale() -> None:
    """Warn once at import when an edited source would be shadowed by its old compiled copy."""
    stale = stale_compiled_modules()
    if stale:
        warnings.warn(
            f"the compiled engine is older than its source for {', '.join(stale)}: Python runs the old "
            "compiled code. Rebuild with `pip install -e .`, or install without compiling: "
            "`MAS_PURE_PYTHON=1 pip install -e .` (and delete the .so files under src/mas).",
            RuntimeWarning,
            stacklevel=2,
        )
