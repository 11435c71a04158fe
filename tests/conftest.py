"""Fixtures of every test: no test reads the user's data store, broker passwords or report folder."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def isolated_mas_home(tmp_path, monkeypatch):
    """``MAS_HOME`` and ``MAS_REPORT_DIR`` in the test's own folder; no ``MAS_PASSWORD_*`` from the caller."""
    monkeypatch.setenv("MAS_HOME", str(tmp_path / "mas_home"))
    monkeypatch.setenv("MAS_REPORT_DIR", str(tmp_path / "reports"))
    for name in [k for k in os.environ if k.startswith("MAS_PASSWORD_")]:
        monkeypatch.delenv(name)
