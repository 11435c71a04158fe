"""Readable ``--help`` for every ``mas`` command: DATE, SYMBOL, N... placeholders instead of typer's type
labels, an example under each command's help, and the whole help in the command's language (``mas --lang``,
``MAS_LANG``).

The help texts are declared in English where the commands are (docstrings, ``help=``); the catalog
(:mod:`mas.i18n.cli_help`) has each of them under a key whose English text is the declared one. While a
command prints its help in another language, its description, its options' help, its subcommands' summaries
and its example are swapped for the catalog's texts (and put back after), typer's labels too; the English
help is printed untouched.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import typer.rich_utils
from typer.core import TyperGroup

from mas.i18n import current_lang, message
from mas.i18n.cli_help import CLI_HELP

__all__ = ["HelpGroup", "help_text", "make_help_readable", "readable_metavar", "use_typer_labels"]

EXAMPLE_HEAD = "Example: "
# typer's words in --help and in its error panel -> catalog keys ({} in typer's templates is the value)
_TYPER_LABELS = {"ARGUMENTS_PANEL_TITLE": "help_arguments", "OPTIONS_PANEL_TITLE": "help_options",
                 "COMMANDS_PANEL_TITLE": "help_commands", "DEFAULT_STRING": "help_default",
                 "ENVVAR_STRING": "help_env_var", "REQUIRED_LONG_STRING": "help_required",
                 "DEPRECATED_STRING": "help_deprecated", "ERRORS_PANEL_TITLE": "click_error_title",
                 "RICH_HELP": "click_try_help", "ABORTED_TEXT": "click_aborted"}
_VALUE_FIELD = {"help_default": "value", "help_env_var": "value"}
_ENGLISH_LABELS = {name: getattr(typer.rich_utils, name) for name in _TYPER_LABELS}


class _FoldingHighlighter(typer.rich_utils.OptionHighlighter):
    """typer's highlighter of help texts, that also lets a text without spaces (Chinese) wrap anywhere: rich
    wraps at spaces and cuts a longer run short with an ellipsis in typer's tables."""

    def highlight(self, text: Any) -> None:
        """Highlight ``text`` as typer does and let it fold."""
        super().highlight(text)
        text.overflow = "fold"


_ENGLISH_HIGHLIGHTER = typer.rich_utils.highlighter
_FOLDING_HIGHLIGHTER = _FoldingHighlighter()

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
        command.epilog = EXAMPLE_HEAD + examples[path]
    _localize_help(command)
    if hasattr(command, "commands"):  # a group (typer's own click, so no isinstance)
        for name, sub in command.commands.items():
            make_help_readable(sub, examples, f"{path} {name}".strip())


class HelpGroup(TyperGroup):
    """The root ``mas`` group: readable metavars and an example per command in every ``--help``."""

    examples: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make_help_readable(self, self.examples)


def use_typer_labels(lang: str) -> None:
    """typer's own words (the help's panel titles, ``[default: ...]``, the error panel's title) in ``lang``, and
    its help texts folded where they have no spaces to wrap at (English: typer's own settings)."""
    typer.rich_utils.highlighter = _ENGLISH_HIGHLIGHTER if lang == "en" else _FOLDING_HIGHLIGHTER
    for name, key in _TYPER_LABELS.items():
        if lang == "en":
            setattr(typer.rich_utils, name, _ENGLISH_LABELS[name])
        else:
            field = _VALUE_FIELD.get(key)
            setattr(typer.rich_utils, name, message(lang, key, **({field: "{}"} if field else {})))


def _normal(text: str) -> str:
    """A help text as the catalog writes it: paragraphs of single-spaced words, separated by a blank line."""
    return "\n\n".join(" ".join(part.split()) for part in inspect.cleandoc(text).split("\n\n"))


@cache
def _keys_by_english() -> dict[str, str]:
    return {_normal(texts["en"]): key for key, texts in CLI_HELP.items()}


def help_text(text: str, lang: str) -> str:
    """A help text of the command (a description, an option's help, an example) in ``lang``: the catalog's
    text whose English is ``text``, else ``text`` as it is (an example that is only a command line)."""
    key = _keys_by_english().get(_normal(text)) if text and lang != "en" else None
    return message(lang, key) if key else text


def _epilog(text: str, lang: str) -> str:
    if text.startswith(EXAMPLE_HEAD):
        return message(lang, "help_example", example=help_text(text[len(EXAMPLE_HEAD):], lang))
    return help_text(text, lang)


@contextmanager
def _in_lang(command: Any, ctx: Any, lang: str) -> Iterator[None]:
    """The help texts ``command`` prints (its own, its parameters', its subcommands' summaries) in ``lang``
    while the block runs."""
    saved: list[tuple[Any, str, Any]] = []

    def swap(obj: Any, name: str, text: str | None) -> None:
        saved.append((obj, name, getattr(obj, name)))
        setattr(obj, name, text)

    try:
        if command.help:
            swap(command, "help", help_text(command.help, lang))
        if command.epilog:
            swap(command, "epilog", _epilog(command.epilog, lang))
        for param in command.get_params(ctx):
            if getattr(param, "help", None):
                swap(param, "help", help_text(param.help, lang))
        for sub in getattr(command, "commands", {}).values():
            for name in ("short_help", "help"):
                if getattr(sub, name, None):
                    swap(sub, name, help_text(getattr(sub, name), lang))
        yield
    finally:
        for obj, name, value in reversed(saved):
            setattr(obj, name, value)


def _localize_help(command: Any) -> None:
    """``command --help`` (and the usage line of its errors) in the command's language."""
    english_help = command.format_help
    english_usage = command.format_usage

    def format_help(ctx: Any, formatter: Any) -> Any:
        lang = current_lang()
        use_typer_labels(lang)
        if lang == "en":
            return english_help(ctx, formatter)
        with _in_lang(command, ctx, lang):
            return english_help(ctx, formatter)

    def format_usage(ctx: Any, formatter: Any) -> Any:
        lang = current_lang()
        if lang == "en":
            return english_usage(ctx, formatter)
        formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)),
                              prefix=message(lang, "help_usage"))
        return None

    command.format_help = format_help
    command.format_usage = format_usage
