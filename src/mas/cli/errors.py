"""How the ``mas`` command reports bad input and errors in the user's own strategy code.

Bad input names the field with its valid values or a close match (:mod:`mas.choices`); an exception
raised by a strategy file shows that file's frames only (file, line, the line of code), the full
traceback on request. Every text is printed in the command's language (``mas --lang``, ``MAS_LANG``):
a translatable error (:mod:`mas.i18n.errors`) in that language, any other in English.
"""

from __future__ import annotations

import difflib
import linecache
import os
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from mas.choices import suggest
from mas.i18n import current_lang, localize, message
from mas.i18n.errors import Text

__all__ = ["check_writable", "error_head", "error_text", "fail", "fail_in_user_code", "user_code_report"]

_console = Console(emoji=False)


def error_text(exc: BaseException | str) -> str:
    """``exc`` in the command's language (:func:`mas.i18n.current_lang`)."""
    return localize(exc, current_lang())


def fail(exc: BaseException) -> NoReturn:
    """Print ``error: <exc>`` (in the command's language) and exit with code 2 (bad input, or an error the user
    can fix)."""
    _console.print(error_head() + escape(error_text(exc)), highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def error_head() -> str:
    """``[red]error:[/red] `` (rich markup) in the command's language."""
    head = message(current_lang(), "cli_error_head")
    return f"[red]{escape(head.strip())}[/red]{' ' if head.endswith(' ') else ''}"


def fail_in_user_code(exc: BaseException, target: str | None, full: bool) -> None:
    """When ``exc`` came from the strategy file ``target``: print its frames (all with ``full``) and exit 1."""
    if not target or Path(target).suffix != ".py" or not Path(target).is_file():
        return
    report = user_code_report(exc, [Path(target)], full=full)
    if report is None:
        return
    Console(stderr=True, highlight=False, soft_wrap=True).print(report, markup=False)
    raise typer.Exit(code=1)


def check_writable(path: Path | None, option: str, *, directory: bool = False) -> None:
    """OSError naming ``option`` unless ``path`` (a file, or a ``directory``) can be written; checked before
    the work whose result goes there (the folders are created)."""
    if path is None:
        return
    folder = path if directory else path.parent
    try:
        if path.is_dir() and not directory:
            raise OSError(Text("path_is_folder", path=path, example=path / "result.json"))
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise OSError(Text("folder_not_writable", folder=folder))
    except OSError as exc:
        reason = exc.strerror or (exc.args[0] if len(exc.args) == 1 and isinstance(exc.args[0], Text) else str(exc))
        raise OSError(Text("cannot_write_option", option=option, path=path, reason=reason)) from None


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
                return f" ({localize(suggest(key, keys), current_lang())})"
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
        head = message(current_lang(), "user_syntax_error", kind=type(exc).__name__, file=exc.filename,
                       line=exc.lineno)
        return f"{head}\n    {line.strip()}{pointer}\n{type(exc).__name__}: {exc.msg}"
    frames = [(f, tb) for f, tb in zip(traceback.extract_tb(exc.__traceback__), _tb_frames(exc), strict=True)
              if _is_user_file(f.filename, files)]
    if not frames:
        return None
    if full:
        return "".join(traceback.format_exception(exc)).rstrip()
    lang = current_lang()
    lines = [message(lang, "user_code_error")]
    for summary, _ in frames:
        lines.append(message(lang, "user_frame", file=summary.filename, line=summary.lineno, name=summary.name))
        if summary.line:
            lines.append(f"    {summary.line.strip()}")
    error_line = "".join(traceback.format_exception_only(exc)).strip()
    said = localize(exc, lang)
    if said != str(exc):  # one of our errors (a bad self.plot call...) is said in the user's language
        error_line = f"{type(exc).__name__}: {said}"
    return "\n".join(lines) + "\n" + error_line + _key_hint(exc, frames[-1][1].f_locals)


def _tb_frames(exc: BaseException) -> list[Any]:
    frames, tb = [], exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames
