"""The fast path: spec strategies (and so the built-ins) backtested with arrays, many parameter
sets over the same candles; trades and P&L equal the event engine's. See :mod:`.engine`."""

from mas.vector.engine import FastMarket, fast_backtest, market_limitation, spec_limitation

__all__ = ["FastMarket", "fast_backtest", "market_limitation", "spec_limitation"]
