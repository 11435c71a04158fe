"""The store's folders: ``$MAS_HOME``, the data root, a symbol's folder, and the stored spelling of a symbol.

Shared by the bar store (:mod:`mas.data.store`) and the tick store (:mod:`mas.data.tick_store`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mas.i18n.errors import InputError

USER = "user"
"""Origin of a dataset in the user's store."""
BUNDLED = "bundled"
"""Origin of a dataset in the bundled sample."""
BUNDLED_SOURCE = "bundled sample"

_INVALID_SYMBOL = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def mas_home() -> Path:
    """``$MAS_HOME`` (read at each call), or ``~/.mas``."""
    home = os.environ.get("MAS_HOME")
    return Path(home).expanduser() if home else Path.home() / ".mas"


def data_root() -> Path:
    """The user's bar store: ``mas_home() / "data"``."""
    return mas_home() / "data"


def canonical_symbol(symbol: str) -> str:
    """The stored spelling of a symbol (upper case); refuses names that are not safe as folder names."""
    name = symbol.strip().upper()
    if not name or name.startswith(".") or _INVALID_SYMBOL.search(name):
        raise InputError("data_symbol_invalid", value=symbol)
    return name


def symbol_dir(symbol: str) -> Path:
    """The user-store folder of ``symbol`` (an existing folder whose name matches in any case)."""
    name = canonical_symbol(symbol)
    return user_symbol_dir(name) or data_root() / name


def user_symbol_dir(symbol: str) -> Path | None:
    """The user-store folder of ``symbol``, matching its name case-insensitively."""
    root = data_root()
    exact = root / symbol
    if exact.is_dir():
        return exact
    if not root.is_dir():
        return None
    for entry in os.scandir(root):
        if entry.is_dir() and entry.name.upper() == symbol:
            return Path(entry.path)
    return None
