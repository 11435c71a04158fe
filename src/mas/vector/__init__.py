"""The fast path: spec strategies (and so the built-ins) backtested with arrays, many parameter
sets over the same candles; trades and P&L equal the event engine's. See :mod:`.engine`.

The engine's names load on first access, so that :mod:`mas.vector.indicators` (the array
indicators, which ``mas.strategy.indicators`` calls) imports without the engine behind it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FastMarket", "fast_backtest", "fast_market", "market_limitation", "spec_limitation"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from mas.vector import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'mas.vector' has no attribute {name!r}")
