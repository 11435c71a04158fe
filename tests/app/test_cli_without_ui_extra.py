"""The ``mas`` command registers the web app's ``ui`` command with a plain import, and still works when the
``ui`` extra (fastapi, uvicorn) is not installed: the import is blocked here as a missing package would be."""

from __future__ import annotations

import os
import subprocess
import sys

BLOCKED = """
import sys
for name in ("fastapi", "uvicorn", "starlette"):
    sys.modules[name] = None  # 'import fastapi' now raises ImportError, as without the extra
from mas.cli import main
sys.argv = ["mas", *sys.argv[1:]]
main()
"""


def mas_without_ui_extra(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "100", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-c", BLOCKED, *args], capture_output=True, text=True, timeout=120,
                          env=env)


def test_mas_help_lists_ui_without_the_extra():
    done = mas_without_ui_extra("--help")
    assert done.returncode == 0, done.stderr
    assert "ui" in done.stdout.split() and "backtest" in done.stdout.split()
    helped = mas_without_ui_extra("ui", "--help")
    assert helped.returncode == 0, helped.stderr
    assert "--port" in helped.stdout and "Example: mas ui" in helped.stdout


def test_mas_ui_says_what_to_install_without_the_extra():
    done = mas_without_ui_extra("ui", "--no-browser", "--port", "0")
    assert done.returncode != 0
    assert "ui" in done.stderr and "pip install" in done.stderr, done.stderr


def test_a_backtest_runs_without_the_extra():
    done = mas_without_ui_extra("backtest", "ma", "--from", "2017-01-01", "--to", "2017-02-28")
    assert done.returncode == 0, done.stderr
    assert "vectorized fast path" in done.stdout and "final equity" in done.stdout
