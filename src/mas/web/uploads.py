"""Strategy files (``.py``) uploaded through the web app, kept under ``$MAS_HOME/ui-strategies``.

Uploading only stores the file (content-addressed: the id is its SHA-256, so the same file is one entry) after a
static look at it (UTF-8 Python that parses, with at least one class); nothing in it runs then. It runs when the
user starts a backtest, a sweep or a live run with it, exactly as ``mas backtest file.py`` / ``mas optimize file.py``
/ ``mas live file.py`` run it (:func:`mas.app.load_strategy`), with the user's rights: in the app's process, or for
a sweep in its worker process (:mod:`mas.web.worker`). Listing its parameters for the optimize page reads its
source (:func:`file_parameters`); exporting it sends the file as it is, with a runner."""

from __future__ import annotations

import ast
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from mas.i18n.errors import InputError

__all__ = ["MAX_FILE", "file_parameters", "file_path", "store_file"]

MAX_FILE = 1024 * 1024
"""The largest strategy file accepted (bytes)."""
FOLDER = "ui-strategies"
_ID = re.compile(r"^[0-9a-f]{32}$")


def _folder() -> Path:
    from mas.data.store import mas_home

    return mas_home() / FOLDER


def file_path(ident: str) -> Path:
    """Where uploaded file ``ident`` is kept; ValueError when there is no such upload."""
    path = _folder() / f"{ident}.py"
    if not _ID.match(ident) or not path.is_file():
        raise InputError("web_app_upload_missing", ident=ident)
    return path


def store_file(name: str, content: bytes) -> dict[str, Any]:
    """Check and keep an uploaded strategy file; its source entry ``{kind: file, id, name, classes}``.
    ValueError naming what is wrong (not .py, too big, not UTF-8, a syntax error with its line, no class)."""
    if not name.lower().endswith(".py"):
        raise InputError("web_app_upload_not_py", name=name)
    if len(content) > MAX_FILE:
        raise InputError("web_app_upload_too_big", size=len(content), limit=MAX_FILE)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("web_app_upload_not_utf8", name=name, byte=exc.start) from None
    try:
        tree = ast.parse(text, filename=name)
    except SyntaxError as exc:
        raise InputError("web_app_upload_syntax", name=name, line=exc.lineno, reason=exc.msg) from None
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    if not classes:
        raise InputError("web_app_upload_no_class", name=name)
    ident = hashlib.sha256(content).hexdigest()[:32]
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{ident}.py"
    if not target.is_file():
        handle, temp = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    shown = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[-100:]
    return {"kind": "file", "id": ident, "name": shown, "classes": classes}


def _strategy_class(tree: ast.Module) -> ast.ClassDef | None:
    """The class a strategy file trades with, read without running it: the one whose bases name ``MAS`` / ``mas``
    (``class S(MAS)``, ``class S(mas.MAS)``), else the only class."""
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    named = [c for c in classes if any(ast.unparse(base).split(".")[-1] in ("MAS", "mas") for base in c.bases)]
    chosen = named or classes
    return chosen[0] if len(chosen) == 1 else None


def file_parameters(ident: str) -> list[dict[str, Any]]:
    """``[{name, value}]``: the keyword parameters of an uploaded strategy's class that have a number as default,
    read from its source (nothing in it runs), as ``mas optimize FILE.py --param NAME=...`` names them (the class
    checks the names when the sweep starts, as it does for the command)."""
    tree = ast.parse(file_path(ident).read_text(encoding="utf-8"))
    cls = _strategy_class(tree)
    init = None if cls is None else next((node for node in cls.body if isinstance(node, ast.FunctionDef)
                                          and node.name == "__init__"), None)
    if init is None:
        return []
    args = init.args
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults, strict=True))
    pairs += [(arg, default) for arg, default in zip(args.kwonlyargs, args.kw_defaults, strict=True)
              if default is not None]
    out = []
    for arg, default in pairs:
        if isinstance(default, ast.UnaryOp) and isinstance(default.op, ast.USub) and isinstance(default.operand,
                                                                                                 ast.Constant):
            value: Any = -default.operand.value if isinstance(default.operand.value, (int, float)) else None
        else:
            value = default.value if isinstance(default, ast.Constant) else None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append({"name": arg.arg, "value": value})
    return out
