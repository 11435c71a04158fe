"""Fixtures for the report tests."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from mas.results import BacktestResult

from .helpers import build_sample_result, load_sample_rates


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: needs headless Chromium (/usr/bin/chromium); skipped without it")


@pytest.fixture(scope="session")
def sample_rates() -> np.ndarray:
    """Real EURUSD H1 2017 candles (package sample or the shared CSV)."""
    return load_sample_rates()


@pytest.fixture()
def sample_result(sample_rates: np.ndarray) -> BacktestResult:
    """Equity = 10000 * close / close[0] bar by bar, synthetic trades, bars and settings attached."""
    return build_sample_result(sample_rates)


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright (never a downloaded browser), headless, file:// pages only."""
    from playwright.sync_api import sync_playwright

    from .browser import CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                          "--enable-unsafe-swiftshader"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    """Where the browser tests' screenshots go: $MAS_TEST_ARTIFACTS/browser, else a tmp dir."""
    root = os.environ.get("MAS_TEST_ARTIFACTS")
    path = Path(root) / "browser" if root else tmp_path_factory.mktemp("browser_artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path
