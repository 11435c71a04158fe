"""Where a strategy comes from, one source at a time: a spec file or a text (-> a spec), a ``.py`` file
holding one MAS subclass (-> the class), and the keyword parameters a strategy class takes.

:mod:`mas.app.strategies` resolves any target (a built-in name as well) for the front ends; the
optimizer (:mod:`mas.optimize.target`) uses these pieces directly.
"""

from __future__ import annotations

import importlib.util
import inspect
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mas.choices import suggest
from mas.client import MAS
from mas.i18n.errors import InputError, Text
from mas.strategy.spec import StrategySpec, load_spec

__all__ = ["accepted_params", "check_strategy_params", "load_strategy_file", "spec_from_target",
           "strategy_class_in_file"]


def spec_from_target(target: str, *, llm: bool = False, llm_fallback: bool = False,
                     lang: str | None = None) -> tuple[StrategySpec, str]:
    """(spec, explanation) of a spec JSON file or a text; ``llm`` asks the LLM backend, ``llm_fallback``
    asks it only when the deterministic parser refuses the text."""
    from mas.strategy.explain import explain_spec
    from mas.strategy.parse import ParseError, parse_text

    path = Path(target)
    if path.suffix.lower() == ".json" and "\n" not in target:
        spec = load_spec(path) if path.is_file() else missing_spec(path)
        return spec, explain_spec(spec, lang or "en")
    if llm:
        from mas.strategy.llm import propose_spec

        parsed = propose_spec(target, lang=lang)
        return parsed.spec, parsed.explanation
    try:
        parsed = parse_text(target, lang)
    except ParseError:
        if not llm_fallback:
            raise
        from mas.strategy.llm import propose_spec

        parsed = propose_spec(target, lang=lang)
    return parsed.spec, parsed.explanation


def missing_spec(path: Path) -> StrategySpec:
    """Raise the ValueError of a spec file that does not exist."""
    raise InputError("spec_file_missing", path=path)


def accepted_params(cls: type) -> list[str] | None:
    """The keyword parameters ``cls()`` takes, or None when it takes any (``**kwargs``)."""
    try:
        signature = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return None
    names = []
    for param in list(signature.parameters.values())[1:]:
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            return None
        if param.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            names.append(param.name)
    return names


def check_strategy_params(cls: type, params: Mapping[str, Any], label: str) -> None:
    """ValueError naming a ``--param`` that ``cls`` does not take, with the close match and the valid names."""
    known = accepted_params(cls)
    if known is None:
        return
    for name in params:
        if name not in known:
            raise (InputError("param_unknown", name=name, label=label, hint=suggest(name, known)) if known
                   else InputError("param_none", name=name, label=label))


def strategy_class_in_file(path: Path, target: str) -> type[MAS]:
    """The one MAS subclass that the Python file ``path`` defines (the file is run as a fresh module);
    a ValueError naming ``target`` when it defines none or several."""
    spec = importlib.util.spec_from_file_location(f"mas_user_strategy_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise InputError("target_not_module", target=target)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [obj for obj in vars(module).values()
               if inspect.isclass(obj) and issubclass(obj, MAS) and obj is not MAS
               and obj.__module__ == module.__name__]
    if len(classes) != 1:
        names = ", ".join(c.__name__ for c in classes) or Text("none_found")
        raise InputError("target_one_class", target=target, names=names)
    return classes[0]


def load_strategy_file(path: Path, target: str, params: Mapping[str, Any]) -> MAS:
    """An instance of the MAS subclass in the ``.py`` file ``path``, made with ``params`` (checked first)."""
    cls = strategy_class_in_file(path, target)
    check_strategy_params(cls, params, f"{path.name} ({cls.__name__})")
    return cls(**params) if params else cls()
