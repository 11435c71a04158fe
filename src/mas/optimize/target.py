"""What an optimization sweeps: a strategy and how a parameter set becomes an instance of it.

Targets: a built-in name (``ma``; parameters are its keyword arguments), a ``.py`` file holding
one MAS subclass (its constructor's keyword arguments), a strategy spec (a ``.json`` file, a
text strategy or a :class:`~mas.strategy.spec.StrategySpec`; parameters are dotted paths into
the spec, the first part an indicator id or a top-level field, e.g. ``sma_fast.period`` or
``risk.stop_loss.value``) or, from Python, a MAS subclass.

A target is resolved once (files read, text parsed) and then pickled to the workers.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from mas.client import MAS
from mas.i18n.errors import InputError, Text, text_of

__all__ = ["StrategyTarget", "resolve_target"]


@dataclass
class StrategyTarget:
    """A resolved target; :meth:`build` makes a strategy for one parameter set."""

    label: str
    kind: str  # "builtin", "file", "class" or "spec"
    reference: Any = None  # builtin name, file path, class, or the spec as a dict
    _cls: type[MAS] | None = field(default=None, repr=False, compare=False)
    _keys: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        if self.kind == "file":
            state["_cls"] = None  # a class loaded from a file is re-loaded in each process
        return state

    def build(self, params: dict[str, Any]) -> MAS:
        """A fresh strategy with ``params``; ValueError (or TypeError) when they are not valid for it."""
        if self.kind == "builtin":
            from mas.strategy.builtins import BUILTIN_STRATEGIES

            return BUILTIN_STRATEGIES[self.reference](**params)
        if self.kind == "class":
            return self.reference(**params)
        if self.kind == "file":
            if self._cls is None:
                from mas.strategy.targets import load_strategy_file

                strategy = load_strategy_file(Path(self.reference), str(self.reference), params)
                self._cls = type(strategy)
                return strategy
            return self._cls(**params) if params else self._cls()
        from mas.strategy.compiler import compile_spec

        return compile_spec(self.spec(params), name="SpecStrategy")()

    def spec(self, params: dict[str, Any]) -> Any:
        """The strategy spec for ``params``, or None when the target is not a spec (files, classes).

        Built-ins are checked by constructing them first, so invalid combinations fail with the
        same message in both engines."""
        if self.kind == "builtin":
            from mas.strategy.builtin_specs import builtin_spec

            self.build(params)
            return builtin_spec(self.reference, **params)
        if self.kind != "spec":
            return None
        from mas.strategy.spec import spec_from_dict

        data = copy.deepcopy(self.reference)
        for name, value in params.items():
            if name not in self._keys:
                self._keys[name] = _spec_keys(self.reference, name)
            *parents, key = self._keys[name]
            node = data
            for part in parents:
                node = node[part]
            node[key] = value
        return spec_from_dict(data)

    def check_names(self, names: Iterable[str]) -> None:
        """ValueError naming a parameter the strategy does not take."""
        names = list(names)
        known = self.parameter_names()
        if self.kind == "spec":
            for name in names:
                self._keys[name] = _spec_keys(self.reference, name)
            return
        if known is None:
            return
        unknown = [n for n in names if n not in known]
        if unknown:
            raise InputError("opt_param_unknown", name=unknown[0], label=self.label,
                             known=", ".join(known) or Text("none_found"))

    def parameter_names(self) -> list[str] | None:
        """The keyword parameters the target takes, or None when any are accepted (``**kwargs``)."""
        if self.kind == "builtin":
            from mas.strategy.builtins import BUILTIN_STRATEGIES

            return list(BUILTIN_STRATEGIES[self.reference].default_params())
        cls = self.reference if self.kind == "class" else self._cls
        if cls is None:
            return None
        parameters = inspect.signature(cls.__init__).parameters.values()
        if any(p.kind is p.VAR_KEYWORD for p in parameters):
            return None
        return [p.name for p in parameters if p.name != "self" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _model_of(annotation: Any) -> Any:
    """The pydantic model class inside an annotation (``Distance | None`` -> Distance), or None."""
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def _spec_keys(data: dict[str, Any], path: str) -> tuple[Any, ...]:
    """The keys that the dotted ``path`` names in a spec dict; ValueError when the spec has no such field
    (a field left unset may be named when its model has it, e.g. ``risk.exit_after_bars``)."""
    from mas.strategy.spec import spec_from_dict

    spec = spec_from_dict(data)
    parts = path.split(".")
    node: Any = data
    model: Any = type(spec)
    keys: list[Any] = []
    ids = {ind.get("id"): i for i, ind in enumerate(data.get("indicators", []))}
    if parts[0] in ids and parts[0] not in data:
        node, model, parts = data["indicators"][ids[parts[0]]], type(spec.indicator(parts[0])), parts[1:]
        keys = ["indicators", ids[path.split(".")[0]]]
        if not parts:
            raise InputError("opt_param_indicator_field", path=path)
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        fields = getattr(model, "model_fields", {})
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            key: Any = int(part)
        elif isinstance(node, dict) and (part in node or (last and part in fields)):
            key = part
            model = _model_of(fields[part].annotation) if part in fields else None
        else:
            where = ".".join(parts[:i]) or Text("opt_the_spec")
            unset = Text("opt_not_set") if part in fields else ""
            raise InputError("opt_param_no_field", path=path, where=where, part=part, unset=unset,
                             ids=", ".join(str(i) for i in ids if i) or Text("none_found"))
        keys.append(key)
        if last:
            return tuple(keys)
        node = node[key]
    raise InputError("opt_param_empty_path", path=path)  # pragma: no cover - parts is never empty


def resolve_target(target: Any) -> StrategyTarget:
    """A :class:`StrategyTarget` for a built-in name, a .py file, a spec (.json, text or object) or a class."""
    from mas.strategy.builtins import BUILTIN_STRATEGIES

    if isinstance(target, StrategyTarget):
        return target
    if inspect.isclass(target) and issubclass(target, MAS):
        return StrategyTarget(target.__name__, "class", target)
    if _is_spec(target):
        return StrategyTarget(target.name or "spec", "spec", target.model_dump(mode="json", exclude_none=True))
    if not isinstance(target, (str, Path)):
        raise InputError("opt_target_type", value=target)
    text = str(target)
    if text in BUILTIN_STRATEGIES:
        return StrategyTarget(text, "builtin", text)
    path = Path(text)
    if path.suffix == ".py":
        if not path.is_file():
            raise InputError("opt_target_no_file", path=text)
        return StrategyTarget(path.stem, "file", str(path.resolve()))
    from mas.strategy.targets import spec_from_target

    try:
        spec, _ = spec_from_target(text)
    except ValueError as exc:
        raise InputError("opt_target_unreadable", target=text, builtins=", ".join(BUILTIN_STRATEGIES),
                         reason=text_of(exc)) from None
    return StrategyTarget(spec.name or path.stem or "spec", "spec", spec.model_dump(mode="json", exclude_none=True))


def _is_spec(target: Any) -> bool:
    try:
        from mas.strategy.spec import StrategySpec
    except ImportError:  # pragma: no cover - the spec module is part of the package
        return False
    return isinstance(target, StrategySpec)
