"""The ``mas`` command's language: ``mas --lang zh-tw`` or ``MAS_LANG=zh-cn`` (``--lang`` wins).

:func:`apply_lang` makes the language the process's (:func:`mas.i18n.use_lang`), so that every error the
command prints (:mod:`mas.cli.errors`) and its own fixed texts come out in it. Click's own usage errors (a
misspelt option, a missing one, a value of the wrong type) are English sentences built by click;
:func:`localized_click_error` rewrites the common ones with the catalog's texts, keeping the option names
and the values as typed.
"""

from __future__ import annotations

import re
from typing import Any

import typer

from mas.cli.help import use_typer_labels
from mas.i18n import Text, current_lang, message, use_lang

__all__ = ["apply_lang", "localized_click_error", "say"]

# click's English sentences (click 8) -> catalog keys; each named group is a value kept as typed
_CLICK_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), key) for p, key in (
    (r"No such option: (?P<name>\S+)", "click_no_such_option"),
    (r" ?Did you mean (?P<close>\S+)\?", "click_did_you_mean"),
    (r" ?\(Possible options: (?P<options>[^)]*)\)", "click_possible_options"),
    (r"Missing option(?P<hint> [^.]+)?\.", "click_missing_option"),
    (r"Missing argument(?P<hint> [^.]+)?\.", "click_missing_argument"),
    (r"Missing parameter(?P<hint> [^.]+)?\.", "click_missing_parameter"),
    (r"Missing command\.", "click_missing_command"),
    (r"Invalid value for (?P<hint>[^:]+): ", "click_invalid_value_for"),
    (r"Invalid value: ", "click_invalid_value"),
    (r"Input should be a valid integer(?:, unable to parse string as an integer)?", "input_integer"),
    (r"Input should be a valid number(?:, unable to parse string as a number)?", "input_number"),
    (r"Input should be a valid boolean(?:, unable to interpret input)?", "input_boolean"),
    (r"Input should be greater than or equal to (?P<low>\S+)", "input_at_least"),
    (r"Input should be greater than (?P<low>\S+)", "input_above"),
    (r"Input should be less than or equal to (?P<high>\S+)", "input_at_most"),
    (r"(?P<value>'[^']*'|\S+) is not a valid integer( range)?\.", "click_not_integer"),
    (r"(?P<value>'[^']*'|\S+) is not a valid float( range)?\.", "click_not_float"),
    (r"(?P<value>'[^']*'|\S+) is not a valid boolean\.", "click_not_boolean"),
    (r"(?P<value>'[^']*'|\S+) is not (?:one of )?(?P<choices>'[^.]*')\.", "click_not_choice"),
    (r"(?P<value>\S+) is not in the range (?P<range>[^.]+)\.", "click_not_in_range"),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>[^)]*)\)", "click_extra_arguments"),
    (r"No such command (?P<name>'[^']*')\.", "click_no_such_command"),
    (r"Option (?P<name>'[^']*') requires an argument\.", "click_requires_argument"),
    (r"Option (?P<name>'[^']*') requires (?P<count>\d+) arguments\.", "click_requires_arguments"),
))


def apply_lang(lang: str | None) -> None:
    """Use ``lang`` (None: ``MAS_LANG``, else English) for everything the command prints; an unknown language
    is a ValueError naming the valid ones. Called on every run of the command, so that a language chosen by an
    earlier run in the same process (tests) does not linger."""
    use_lang(lang)
    use_typer_labels(current_lang())  # the panel typer draws around an error, in the same language


def say(key: str, /, **values: object) -> str:
    """The catalog text ``key`` in the command's language (its own summaries and headings)."""
    return message(current_lang(), key, **values)


def _translate(text: str, lang: str) -> str:
    for pattern, key in _CLICK_PATTERNS:
        text = pattern.sub(lambda m, k=key: message(lang, k, **{n: v or "" for n, v in m.groupdict().items()}),
                           text)
    return text


def localized_click_error(exc: typer.TyperException) -> typer.TyperException:
    """A usage error (typer's click exceptions) like ``exc`` with its message in the command's language (``exc``
    itself in English)."""
    lang = current_lang()
    names = [kind.__name__ for kind in type(exc).__mro__]
    if lang == "en" or "NoArgsIsHelpError" in names:  # that one's message is the help, printed in the language
        return exc
    english = exc.format_message()
    own = getattr(exc, "message", None)
    if isinstance(own, Text) and str(own) in english:  # a translatable message of ours inside click's sentence
        head, _, tail = english.partition(str(own))
        text = _translate(head, lang) + own.in_lang(lang) + _translate(tail, lang)
    else:
        text = _translate(english, lang)
    # typer's click classes are not public: the plain usage error (or click exception) class of ``exc``
    base: Any = type(exc).__mro__[names.index("UsageError" if "UsageError" in names else "ClickException")]
    replaced = base(text, ctx=getattr(exc, "ctx", None)) if base.__name__ == "UsageError" else base(text)
    replaced.exit_code = exc.exit_code
    return replaced
