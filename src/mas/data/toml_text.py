"""Writing TOML by hand for the small files under ``$MAS_HOME`` (broker profiles, account groups, symbol specs):
the standard library reads TOML but does not write it, and these files keep their comments and order."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["toml_key", "toml_value"]


def toml_key(name: str) -> str:
    """``name`` as a TOML key: bare when it is letters, digits, ``_`` and ``-`` only, else a quoted string."""
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else toml_value(name)


def toml_value(value: Any) -> str:
    """A bool, number or text as a TOML value; control characters in text are written as ``\\uXXXX``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if " " <= ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in escaped) + '"'
