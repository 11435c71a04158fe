"""Fixtures for the report tests."""

from __future__ import annotations

import numpy as np
import pytest

from mas.results import BacktestResult

from .helpers import build_sample_result, load_sample_rates


@pytest.fixture(scope="session")
def sample_rates() -> np.ndarray:
    """Real EURUSD H1 2017 candles (package sample or the shared CSV)."""
    return load_sample_rates()


@pytest.fixture()
def sample_result(sample_rates: np.ndarray) -> BacktestResult:
    """Equity = 10000 * close / close[0] bar by bar, synthetic trades, bars and settings attached."""
    return build_sample_result(sample_rates)
