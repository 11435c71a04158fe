"""Strategies: streaming indicators and the built-in strategies of the original MAS SDK.

``mas.strategy.indicators`` is imported eagerly; the built-ins (which subclass ``mas.MAS``) load
on first access, so importing indicators never pulls in the trading facade.
"""

from __future__ import annotations

import importlib
from typing import Any

from mas.strategy import indicators

__all__ = ["BUILTIN_STRATEGIES", "builtins", "indicators"]


def __getattr__(name: str) -> Any:
    if name in ("builtins", "BUILTIN_STRATEGIES"):
        module = importlib.import_module("mas.strategy.builtins")
        return module if name == "builtins" else module.BUILTIN_STRATEGIES
    raise AttributeError(f"module 'mas.strategy' has no attribute {name!r}")
