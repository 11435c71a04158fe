"""Fixtures of the optimization tests: an isolated MAS_HOME and short ranges of the bundled sample."""

from __future__ import annotations

Q1 = {"symbol": "EURUSD", "timeframe": "H1", "start": "2017-01-01", "end": "2017-03-31"}
"""Three months of the bundled EURUSD H1 2017 sample: about 1,500 bars, a few ms per backtest."""

