"""Strategy files (``.py``) uploaded through the web app, kept under ``$MAS_HOME/ui-strategies``.

Uploading only stores the file (content-addressed: the id is its SHA-256, so the same file is one entry) after a
static look at it (UTF-8 Python that parses, with at least one class); nothing in it runs then. It runs when the
user starts a backtest or a live run with it, exactly as ``mas backtest file.py`` / ``mas live file.py`` run it
(:func:`mas.app.load_strategy`), in the app's process and with the user's rights."""

from __future__ import annotations

import ast
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["MAX_FILE", "file_path", "store_file"]

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
        raise ValueError(f"strategy.id: no uploaded strategy file {ident!r}; upload the .py file again")
    return path


def store_file(name: str, content: bytes) -> dict[str, Any]:
    """Check and keep an uploaded strategy file; its source entry ``{kind: file, id, name, classes}``.
    ValueError naming what is wrong (not .py, too big, not UTF-8, a syntax error with its line, no class)."""
    if not name.lower().endswith(".py"):
        raise ValueError(f"file: {name!r} is not a Python file (.py); a spec is opened as .json, a text typed in")
    if len(content) > MAX_FILE:
        raise ValueError(f"file: {len(content):,} bytes is over the {MAX_FILE:,}-byte limit of a strategy file")
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"file: {name} is not UTF-8 text (byte {exc.start})") from None
    try:
        tree = ast.parse(text, filename=name)
    except SyntaxError as exc:
        raise ValueError(f"file: {name}:{exc.lineno}: {exc.msg}") from None
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    if not classes:
        raise ValueError(f"file: {name} defines no class; a strategy file defines one MAS subclass "
                         f"(class MyStrategy(MAS): ... def receive_bars(self, symbol, data, is_end): ...)")
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
