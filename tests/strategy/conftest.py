"""Fixtures of the strategy tests: the bundled real EURUSD H1 2017 sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

SAMPLE_CSV = Path(__file__).resolve().parents[1] / "data" / "fixtures" / "EURUSD_H1_2017_ask.csv"


@pytest.fixture(scope="session")
def sample() -> pd.DataFrame:
    """The sample's candles: columns time (naive UTC datetime), open, high, low, close, volume."""
    df = pd.read_csv(SAMPLE_CSV)
    df["Time"] = pd.to_datetime(df["Time"], format="%d.%m.%Y %H:%M:%S.%f")
    df.columns = [col.lower() for col in df.columns]
    return df
