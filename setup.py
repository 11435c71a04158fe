"""Build hook: compiles the backtest engine's hot modules to C with mypyc, when it can.

The modules stay plain Python files in the package; the compiled copies sit beside them and
Python loads those first. When mypyc or a C compiler is missing (or ``MAS_PURE_PYTHON=1`` is
set), the package installs as pure Python and works the same, only slower. Package metadata
lives in pyproject.toml.
"""

from __future__ import annotations

import os
import runpy
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
# one list for the build and for ``mas.build_info.engine_build()`` (that file needs only the stdlib)
BUILD_INFO = runpy.run_path(str(HERE / "src" / "mas" / "build_info.py"))
ENGINE_MODULES, ENGINE_GROUP = BUILD_INFO["ENGINE_MODULES"], BUILD_INFO["ENGINE_GROUP"]
COMPILED_MODULES = ["src/" + name.replace(".", "/") + ".py" for name in ENGINE_MODULES]


def compiled_extensions() -> list:
    """mypyc extensions for COMPILED_MODULES, marked optional so that a failed C build falls back
    to the pure Python modules; none when MAS_PURE_PYTHON is set or mypyc is not importable."""
    if os.environ.get("MAS_PURE_PYTHON", "").strip() not in ("", "0"):
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        return []
    extensions = mypycify(["--ignore-missing-imports", "--follow-imports=silent", *COMPILED_MODULES],
                          opt_level="3", debug_level="0", group_name=ENGINE_GROUP)
    for extension in extensions:
        extension.optional = True
    return extensions


class AllOrNothingBuild(build_ext):
    """Keeps the compiled engine only when every extension of it was built: a module compiled without
    the shared library it links to (or the other way round) would not import, so a partial failure
    removes what was built and leaves the pure Python modules in charge."""

    def run(self) -> None:
        super().run()
        outputs = [Path(self.get_ext_fullpath(extension.name)) for extension in self.extensions]
        if outputs and not all(path.exists() for path in outputs):
            for path in outputs:
                path.unlink(missing_ok=True)
            print("warning: the compiled engine could not be built; mas installs as pure Python "
                  "(same results, slower)", file=sys.stderr)


setup(ext_modules=compiled_extensions(), cmdclass={"build_ext": AllOrNothingBuild})
