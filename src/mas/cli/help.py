"""Readable ``--help`` for every ``mas`` command: DATE, SYMBOL, N... placeholders instead of typer's type
labels, and an example under each command's help."""

from __future__ import annotations

from typing import Any

from typer.core import TyperGroup

_METAVARS = {"--from": "DATE", "--to": "DATE", "--date": "DATE", "--symbol": "SYMBOL", "--timeframe": "TF",
             "--param": "NAME=VALUE", "--constraint": "EXPR", "--json": "FILE", "--output": "FILE",
             "--report-dir": "DIR", "--profile": "NAME", "--metric": "METRIC", "--engine": "auto|event|fast",
             "--margin-mode": "hedging|netting", "--model": "MODEL", "--method": "grid|random|optuna",
             "--terminal": "URL", "--lang": "LANG", "--state": "FILE", "--accounts": "FILE", "--host": "HOST",
             "--tls-cert": "PEM", "--tls-key": "PEM", "--cluster": "ADDRESS", "--currency": "CCY",
             "--wf-in-sample": "LENGTH", "--wf-out-of-sample": "LENGTH", "--source": "dukascopy|mt5",
             "--format": "FORMAT", "--columns": "MAPPING", "--trading-hours": "WINDOWS"}
_TYPE_METAVARS = {"int": "N", "float": "NUMBER", "Path": "PATH", "str": "TEXT", "bool": "", "list[str]": "TEXT"}


def _is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def readable_metavar(param: Any) -> str:
    """The placeholder ``--help`` shows for an option's value: DATE, SYMBOL, N, PATH... (none for a flag)."""
    bare = param.bare_type() if hasattr(param, "bare_type") else "str"
    if getattr(param, "is_flag", False) or bare == "bool":
        return ""
    for name in param.opts:
        if name in _METAVARS:
            return _METAVARS[name]
    if _is_argument(param):
        return (param.name or "VALUE").upper()
    return _TYPE_METAVARS.get(bare, "VALUE")


def make_help_readable(command: Any, examples: dict[str, str], path: str = "") -> None:
    """Set readable metavars on every option of ``command`` and its subcommands (no ``<bool>`` or
    ``<list[str]>`` type labels) and put each command's example (``examples`` by command path) under its help."""
    for param in command.params:
        if param.metavar is None and param.name not in ("help", "version"):
            param.metavar = readable_metavar(param)
            if _is_argument(param):  # typer prints an argument's type label beside its name
                param.display_type_rich = lambda ctx: None  # type: ignore[method-assign]
        elif param.name == "version":
            param.metavar = ""
    make_help_option = command.get_help_option

    def help_option(ctx: Any) -> Any:
        option = make_help_option(ctx)
        if option is not None:
            option.metavar = ""
        return option

    command.get_help_option = help_option
    if path in examples and not command.epilog:
        command.epilog = "Example: " + examples[path]
    if hasattr(command, "commands"):  # a group (typer's own click, so no isinstance)
        for name, sub in command.commands.items():
            make_help_readable(sub, examples, f"{path} {name}".strip())


class HelpGroup(TyperGroup):
    """The root ``mas`` group: readable metavars and an example per command in every ``--help``."""

    examples: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_help_readable(self, self.examples)
