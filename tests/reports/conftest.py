"""Fixtures for the report tests."""

from __future__ import annotations

import numpy as np
import pytest

from mas.results import BacktestResult

from .helpers import build_sample_result, load_sample_rates


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: needs headless Chromium (/usr/bin/chromium); skipped without it")


@pytest.fixture(autouse=True)
def isolated_mas_home(tmp_path, monkeypatch):
    """No test reads the user's data store or writes into the working directory's mas_reports."""
    monkeypatch.setenv("MAS_HOME", str(tmp_path / "mas_home"))
    monkeypatch.setenv("MAS_REPORT_DIR", str(tmp_path / "reports"))


@pytest.fixture(scope="session")
def sample_rates() -> np.ndarray:
    """Real EURUSD H1 2017 candles (package sample or the shared CSV)."""
    return load_sample_rates()


@pytest.fixture()
def sample_result(sample_rates: np.ndarray) -> BacktestResult:
    """Equity = 10000 * close / close[0] bar by bar, synthetic trades, bars and settings attached."""
    return build_sample_result(sample_rates)
