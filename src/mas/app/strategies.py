"""Loading a strategy for a front end: any target (a built-in name, a ``.py`` file with a MAS subclass,
a spec ``.json`` file or a text in English or Chinese), and the spec that trades exactly like it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mas.client import MAS
from mas.i18n.errors import InputError, Text

__all__ = ["exact_spec", "load_strategy", "load_text_strategy"]


def load_text_strategy(text: str) -> MAS:
    """The strategy a text describes (the deterministic parser; a ParseError quotes what it cannot read)."""
    from mas.strategy.compiler import compile_spec
    from mas.strategy.parse import parse_text

    return compile_spec(parse_text(text).spec, name="TextStrategy")()


def load_strategy(target: str, strategy_params: dict[str, Any]) -> MAS:
    """A built-in strategy by name, the MAS subclass defined in a Python file, a strategy spec (.json)
    or a strategy described in words (English or Chinese; a ParseError quotes what it cannot read).

    ``strategy_params`` are a built-in's or the class's keyword arguments; a name it does not take is a
    ValueError with the close match. Whatever a strategy file raises while it loads propagates."""
    from mas.strategy.builtins import BUILTIN_STRATEGIES
    from mas.strategy.targets import check_strategy_params, load_strategy_file

    if target in BUILTIN_STRATEGIES:
        check_strategy_params(BUILTIN_STRATEGIES[target], strategy_params, target)
        return BUILTIN_STRATEGIES[target](**strategy_params)
    path = Path(target)
    described = not path.exists() and path.suffix != ".py" and (" " in target.strip() or not target.isascii())
    if path.suffix.lower() == ".json" or described:
        from mas.strategy.compiler import compile_spec
        from mas.strategy.targets import spec_from_target

        if strategy_params:
            raise InputError("param_with_spec")
        spec, _ = spec_from_target(target)
        return compile_spec(spec, name="SpecStrategy")()
    if path.suffix != ".py" or not path.is_file():
        from mas.choices import suggest

        missing = Text("target_no_file", target=target) if path.suffix == ".py" else ""
        raise InputError("target_unknown", missing=missing, target=target, hint=suggest(target, BUILTIN_STRATEGIES))
    return load_strategy_file(path, target, strategy_params)


def exact_spec(strategy: MAS, target: str | None, strategy_params: dict[str, Any]) -> Any:
    """The strategy spec that trades exactly like ``strategy``: a built-in's own spec, or the spec a spec file or
    a text compiled to; None for a strategy file (.py), whose Python only the event engine can run.

    ``target`` is what ``strategy`` was loaded from (None for a text), ``strategy_params`` what it was made with."""
    from mas.strategy.builtins import BUILTIN_STRATEGIES

    if target in BUILTIN_STRATEGIES:
        from mas.strategy.builtin_specs import builtin_spec

        return builtin_spec(target, **strategy_params)
    if target is not None and Path(target).suffix.lower() == ".py":
        return None
    return getattr(type(strategy), "spec", None)
