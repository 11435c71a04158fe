"""Run an unmodified ``import MetaTrader5 as mt5`` script on :mod:`mas.mt5`.

The module name ``MetaTrader5`` is made to resolve to ``mas.mt5`` (a ``sys.modules`` entry),
which is configured first with the terminal and credentials, so the script's own
``mt5.initialize()`` with no arguments connects. The script runs in this process as
``__main__`` with ``sys.argv = [script, *args]`` and its directory first on ``sys.path``,
as ``python SCRIPT.py args`` would run it.
"""

from __future__ import annotations

import runpy
import sys
import traceback
from pathlib import Path

import mas.mt5 as dropin


def run_script(script: Path, args: list[str], terminal: str, login: int | None = None, password: str | None = None,
               server: str | None = None, timeout: int | None = None) -> int:
    """Run ``script`` with ``MetaTrader5`` = :mod:`mas.mt5` on ``terminal``; its exit status.

    An exception in the script prints its traceback (never local variables) and gives 1."""
    dropin.configure(terminal=terminal, login=login, password=password, server=server, timeout=timeout)
    saved_module, saved_argv, saved_path = sys.modules.get("MetaTrader5"), sys.argv, list(sys.path)
    sys.modules["MetaTrader5"] = dropin
    sys.argv = [str(script), *args]
    sys.path.insert(0, str(script.resolve().parent))
    try:
        runpy.run_path(str(script), run_name="__main__")
        return 0
    except SystemExit as exc:
        return exit_status(exc.code)
    except BaseException as exc:  # the script's own error: show it as Python would, then fail
        print_script_traceback(exc, str(script))
        return 1
    finally:
        dropin.shutdown()
        dropin.configure()
        sys.argv, sys.path[:] = saved_argv, saved_path
        if saved_module is None:
            sys.modules.pop("MetaTrader5", None)
        else:
            sys.modules["MetaTrader5"] = saved_module


def exit_status(code: object) -> int:
    """The process status ``sys.exit(code)`` gives: None is 0, a number itself, anything else is printed and 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def print_script_traceback(exc: BaseException, filename: str) -> None:
    """The traceback from the script's first frame on (the runner's own frames left out), without locals."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename != filename:
        tb = tb.tb_next
    traceback.print_exception(type(exc), exc, tb)
