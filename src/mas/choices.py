"""Bad input names its valid values or the close match: ``did you mean 'fast'? valid: fast, slow``.

The lowest layer (the standard library and the message catalog), so that the strategy loaders, the
application services and the ``mas`` command word their suggestions alike. The suggestion is a
:class:`~mas.i18n.Text`: English as a ``str``, and in the user's language inside a translatable error.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from mas.i18n.errors import InputError, Text

__all__ = ["ENGINES", "check_choice", "check_engine", "suggest"]

ENGINES = ("auto", "event", "fast")
"""The backtest engines a user can ask for: the fast path when it replays exactly (auto), always the event engine, or
the fast path only."""


def suggest(value: str, valid: Iterable[str]) -> Text:
    """``"did you mean 'fast'? valid: fast, slow"`` (just the valid values when nothing is close)."""
    names = [str(v) for v in valid]
    close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
    text = str(value).strip().lower()
    for holds in (lambda n: text in n.lower().split("_"), lambda n: text in n.lower()):
        if not close and text:  # 'tick' -> 'every_tick': a word, else a part, of exactly one name
            found = [n for n in names if holds(n)]
            close = found if len(found) == 1 else []
    if close:
        return Text("suggest_close", close=close[0], valid=", ".join(names))
    return Text("suggest_valid", valid=", ".join(names)) if names else Text("suggest_none")


def check_choice(field: str, value: str, valid: Iterable[str]) -> str:
    """``value`` as spelled in ``valid`` (matched ignoring case), else a ValueError naming ``field``."""
    names = list(valid)
    for name in names:
        if str(value).strip().lower() == name.lower():
            return name
    raise InputError("choice_invalid", field=field, value=value, hint=suggest(value, names))


def check_engine(engine: str) -> str:
    """``engine`` when it is auto, event or fast, else a ValueError saying which are."""
    if engine not in ENGINES:
        raise InputError("engine_unknown", value=engine)
    return engine
