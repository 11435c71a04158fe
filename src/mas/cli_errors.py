"""How the ``mas`` command reports bad input and errors in the user's own strategy code.

Bad input names the field with its valid values or a close match; an exception raised by a strategy
file shows that file's frames only (file, line, the line of code), the full traceback on request.
"""

from __future__ import annotations

import difflib
import inspect
import linecache
import os
import traceback
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

__all__ = ["check_choice", "check_strategy_params", "check_writable", "parse_day", "suggest", "user_code_report"]


def suggest(value: str, valid: Iterable[str]) -> str:
    """``"did you mean 'fast'? valid: fast, slow"`` (just the valid values when nothing is close)."""
    names = [str(v) for v in valid]
    close = difflib.get_close_matches(str(value), names, n=1, cutoff=0.6)
    text = str(value).strip().lower()
    for holds in (lambda n: text in n.lower().split("_"), lambda n: text in n.lower()):
        if not close and text:  # 'tick' -> 'every_tick': a word, else a part, of exactly one name
            found = [n for n in names if holds(n)]
            close = found if len(found) == 1 else []
    listed = f"valid: {', '.join(names)}" if names else "none is valid"
    return f"did you mean {close[0]!r}? {listed}" if close else listed


def check_choice(field: str, value: str, valid: Iterable[str]) -> str:
    """``value`` as spelled in ``valid`` (matched ignoring case), else a ValueError naming ``field``."""
    names = list(valid)
    for name in names:
        if str(value).strip().lower() == name.lower():
            return name
    raise ValueError(f"{field}: {value!r} is not valid; {suggest(value, names)}")


def parse_day(text: str, field: str) -> date:
    """A YYYY-MM-DD day, else a ValueError naming ``field`` and the expected form."""
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{field}: {text!r} is not a date; expected YYYY-MM-DD, e.g. 2017-01-02") from None


def check_writable(path: Path | None, option: str, *, directory: bool = False) -> None:
    """OSError naming ``option`` unless ``path`` (a file, or a ``directory``) can be written; checked before
    the work whose result goes there (the folders are created)."""
    if path is None:
        return
    folder = path if directory else path.parent
    try:
        if path.is_dir() and not directory:
            raise OSError(f"{path} is a folder; give a file name, e.g. {path / 'result.json'}")
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise OSError(f"{folder} is not writable")
    except OSError as exc:
        raise OSError(f"{option} {path}: cannot write there ({exc.strerror or exc})") from None


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
            raise ValueError(f"--param {name}: {label} has no parameter {name!r}; {suggest(name, known)}"
                             if known else f"--param {name}: {label} takes no parameters")


def _is_user_file(filename: str, user_files: set[Path]) -> bool:
    try:
        return Path(filename).resolve() in user_files
    except (OSError, ValueError):
        return False


def _key_hint(exc: BaseException, frame_locals: Mapping[str, Any]) -> str:
    """For a KeyError on a dict the frame holds: the close key names (e.g. ``'close'`` for ``'closee'``)."""
    if not isinstance(exc, KeyError) or len(exc.args) != 1 or not isinstance(exc.args[0], str):
        return ""
    key = exc.args[0]
    for value in frame_locals.values():
        if isinstance(value, Mapping) and key not in value:
            keys = [k for k in value if isinstance(k, str)]
            if difflib.get_close_matches(key, keys, n=1, cutoff=0.6):
                return f" ({suggest(key, keys)})"
    return ""


def user_code_report(exc: BaseException, user_files: Iterable[Path], *, full: bool = False) -> str | None:
    """The report of an exception raised in one of ``user_files``, or None when none of its frames is theirs.

    Shows the user's frames only (file, line, function, the line of code) and the error; ``full`` gives
    Python's whole traceback instead."""
    files = {Path(f).resolve() for f in user_files}
    if isinstance(exc, SyntaxError) and exc.filename and _is_user_file(exc.filename, files):
        if full:
            return "".join(traceback.format_exception(exc)).rstrip()
        line = (exc.text or linecache.getline(exc.filename, exc.lineno or 0)).rstrip("\n")
        pointer = ""
        if exc.offset and line.strip():
            indent = len(line) - len(line.lstrip())
            pointer = "\n    " + " " * max(0, exc.offset - 1 - indent) + "^"
        return (f"{type(exc).__name__} in your strategy {exc.filename}, line {exc.lineno}:\n"
                f"    {line.strip()}{pointer}\n{type(exc).__name__}: {exc.msg}")
    frames = [(f, tb) for f, tb in zip(traceback.extract_tb(exc.__traceback__), _tb_frames(exc), strict=True)
              if _is_user_file(f.filename, files)]
    if not frames:
        return None
    if full:
        return "".join(traceback.format_exception(exc)).rstrip()
    lines = ["error in your strategy (your code's frames, most recent call last; --traceback shows them all):"]
    for summary, _ in frames:
        lines.append(f'  File "{summary.filename}", line {summary.lineno}, in {summary.name}')
        if summary.line:
            lines.append(f"    {summary.line.strip()}")
    message = "".join(traceback.format_exception_only(exc)).strip()
    return "\n".join(lines) + "\n" + message + _key_hint(exc, frames[-1][1].f_locals)


def _tb_frames(exc: BaseException) -> list[Any]:
    frames, tb = [], exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames
