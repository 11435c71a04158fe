"""Strategies: streaming indicators, the built-ins, and strategies as data (text -> spec -> MAS strategy).

``mas.strategy.indicators`` is imported eagerly; everything else loads on first access, so
importing indicators never pulls in the trading facade or pydantic:

- ``StrategySpec``, ``spec_from_dict``, ``load_spec``, ``spec_json_schema`` (:mod:`.spec`)
- ``compile_spec`` (:mod:`.compiler`), ``builtin_spec`` (:mod:`.builtin_specs`)
- ``parse_text`` (:mod:`.parse`), ``explain_spec`` (:mod:`.explain`), ``export_program`` (:mod:`.export`)
"""

from __future__ import annotations

import importlib
from typing import Any

from mas.strategy import indicators

__all__ = ["BUILTIN_STRATEGIES", "StrategySpec", "builtin_spec", "builtins", "compile_spec", "explain_spec",
           "export_program", "indicators", "load_spec", "parse_text", "spec_from_dict", "spec_json_schema"]

_LAZY = {
    "builtins": ("mas.strategy.builtins", None),
    "BUILTIN_STRATEGIES": ("mas.strategy.builtins", "BUILTIN_STRATEGIES"),
    "StrategySpec": ("mas.strategy.spec", "StrategySpec"),
    "spec_from_dict": ("mas.strategy.spec", "spec_from_dict"),
    "load_spec": ("mas.strategy.spec", "load_spec"),
    "spec_json_schema": ("mas.strategy.spec", "spec_json_schema"),
    "compile_spec": ("mas.strategy.compiler", "compile_spec"),
    "builtin_spec": ("mas.strategy.builtin_specs", "builtin_spec"),
    "parse_text": ("mas.strategy.parse", "parse_text"),
    "explain_spec": ("mas.strategy.explain", "explain_spec"),
    "export_program": ("mas.strategy.export", "export_program"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module_name, attribute = _LAZY[name]
        module = importlib.import_module(module_name)
        return module if attribute is None else getattr(module, attribute)
    raise AttributeError(f"module 'mas.strategy' has no attribute {name!r}")
