"""The user's symbol specifications: ``$MAS_HOME/symbols.toml``, read, validated and written here.

```toml
[symbols.US30]                # a symbol that is not built in: base, profit, digits, contract_size required
description = "Dow Jones 30 CFD"
base = "USD"
profit = "USD"
digits = 1
contract_size = 1.0
calc_mode = "cfd"             # forex, forex_no_leverage, cfd, cfdindex, cfdleverage, exch_stocks

[symbols.EURUSD]              # a built-in's name: the fields given replace the built-in's
spread = 5

[suffixes]                    # broker symbol names: EURUSD -> EURUSD.m
"*" = ".m"                    # every broker profile (a global suffix)
icm = "pro"                   # broker profile "icm": EURUSD -> EURUSDpro
```

Every backtest, the sim server and ``get_symbols`` see these specs (:func:`mas.sim.symbols.resolve_spec` reads
:func:`user_symbol_fields`); the simulator never parses TOML. The file is written atomically under a lock
(:mod:`mas.data.locking`), so two processes adding symbols at once both land; a change that does not validate
leaves the file as it was. Errors name the symbol, the field and the allowed values.
"""

from __future__ import annotations

import csv
import fnmatch
import math
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mas.data.atomic import write_bytes_atomically
from mas.data.folders import mas_home
from mas.data.locking import locked
from mas.data.points import BUILTIN_DIGITS, MAX_DIGITS
from mas.data.toml_text import toml_key, toml_value
from mas.i18n.errors import Text, text_of
from mas.terminal import constants as c

__all__ = ["CALC_MODES", "FIELDS", "REQUIRED", "SymbolFile", "SymbolFileError", "add_symbol", "base_symbol",
           "broker_symbol", "fields_from_mt5_csv", "load_symbol_file", "matching", "remove_symbol", "set_suffix",
           "suffix_of",
           "symbols_path", "user_symbol_fields", "validate_fields"]

CALC_MODES: dict[str, int] = {
    "forex": c.SYMBOL_CALC_MODE_FOREX, "forex_no_leverage": c.SYMBOL_CALC_MODE_FOREX_NO_LEVERAGE,
    "cfd": c.SYMBOL_CALC_MODE_CFD, "cfdindex": c.SYMBOL_CALC_MODE_CFDINDEX,
    "cfdleverage": c.SYMBOL_CALC_MODE_CFDLEVERAGE, "exch_stocks": c.SYMBOL_CALC_MODE_EXCH_STOCKS,
}
"""The margin calculation modes the simulated account supports (MT5's ``SYMBOL_CALC_MODE_*``)."""
TRADE_MODES: dict[str, int] = {
    "disabled": c.SYMBOL_TRADE_MODE_DISABLED, "longonly": c.SYMBOL_TRADE_MODE_LONGONLY,
    "shortonly": c.SYMBOL_TRADE_MODE_SHORTONLY, "closeonly": c.SYMBOL_TRADE_MODE_CLOSEONLY,
    "full": c.SYMBOL_TRADE_MODE_FULL,
}
DAYS: dict[str, int] = {
    "sunday": c.DAY_OF_WEEK_SUNDAY, "monday": c.DAY_OF_WEEK_MONDAY, "tuesday": c.DAY_OF_WEEK_TUESDAY,
    "wednesday": c.DAY_OF_WEEK_WEDNESDAY, "thursday": c.DAY_OF_WEEK_THURSDAY, "friday": c.DAY_OF_WEEK_FRIDAY,
    "saturday": c.DAY_OF_WEEK_SATURDAY,
}

_CURRENCY = re.compile(r"^[A-Z0-9]{2,10}$")
_SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9._#&+!-]{0,31}$")
_SUFFIX = re.compile(r"^[A-Za-z0-9._#&+!-]{1,16}$")
_PROFILE = re.compile(r"^(\*|[A-Za-z0-9_.-]{1,64})$")


class SymbolFileError(ValueError):
    """A symbol spec, or the symbols file, that cannot be used: the message names what and how to fix it."""


@dataclass(frozen=True)
class _Field:
    kind: str  # "text", "currency", "whole", "number", or "choice"
    allowed: str  # the allowed values, as an error message states them
    check: Callable[[Any], bool] = lambda value: True
    choices: Mapping[str, int] = field(default_factory=dict)


def _at_least(low: float, *, strict: bool = False) -> Callable[[Any], bool]:
    return (lambda value: value > low) if strict else (lambda value: value >= low)


FIELDS: dict[str, _Field] = {
    "description": _Field("text", Text("sf_allowed_any_text")),
    "base": _Field("currency", Text("sf_allowed_base")),
    "profit": _Field("currency", Text("sf_allowed_profit")),
    "margin": _Field("currency", Text("sf_allowed_margin")),
    "digits": _Field("whole", Text("sf_allowed_digits", most=MAX_DIGITS), lambda v: 0 <= v <= MAX_DIGITS),
    "contract_size": _Field("number", Text("sf_allowed_contract"), _at_least(0, strict=True)),
    "calc_mode": _Field("choice", ", ".join(CALC_MODES), choices=CALC_MODES),
    "volume_min": _Field("number", Text("sf_allowed_lots"), _at_least(0, strict=True)),
    "volume_max": _Field("number", Text("sf_allowed_lots"), _at_least(0, strict=True)),
    "volume_step": _Field("number", Text("sf_allowed_lots"), _at_least(0, strict=True)),
    "spread": _Field("whole", Text("sf_allowed_points"), _at_least(0)),
    "swap_long": _Field("number", Text("sf_allowed_swap")),
    "swap_short": _Field("number", Text("sf_allowed_swap")),
    "swap_rollover3days": _Field("choice", ", ".join(DAYS), choices=DAYS),
    "commission": _Field("number", Text("sf_allowed_commission"), _at_least(0)),
    "margin_rate": _Field("number", Text("sf_allowed_margin_rate"), _at_least(0, strict=True)),
    "margin_hedged": _Field("number", Text("sf_allowed_margin_hedged"), _at_least(0)),
    "stops_level": _Field("whole", Text("sf_allowed_points"), _at_least(0)),
    "trade_mode": _Field("choice", ", ".join(TRADE_MODES), choices=TRADE_MODES),
    "path": _Field("text", Text("sf_allowed_path")),
}
"""The fields of a symbol spec (those of :class:`mas.sim.symbols.SymbolSpec` but its name; a test holds them equal)."""
REQUIRED = ("base", "profit", "digits", "contract_size")
"""What a symbol that is not built in must give."""


def symbols_path() -> Path:
    """``$MAS_HOME/symbols.toml``."""
    return mas_home() / "symbols.toml"


def _symbol_key(name: Any) -> str:
    text = str(name).strip().upper()
    if not _SYMBOL.match(text):
        raise SymbolFileError(Text("sf_symbol_name", name=name))
    return text


def _value(symbol: str, key: str, spec: _Field, value: Any) -> Any:
    def bad(why: Text) -> SymbolFileError:
        return SymbolFileError(Text("sf_bad_value", symbol=symbol, key=key, value=value, why=why, allowed=spec.allowed))

    if spec.kind in ("text", "currency"):
        if not isinstance(value, str):
            raise bad(Text("sf_why_not_text"))
        if spec.kind == "text":
            return value
        code = value.strip().upper()
        if not _CURRENCY.match(code):
            raise bad(Text("sf_why_not_currency"))
        return code
    if spec.kind == "choice":
        if isinstance(value, str) and value.strip().lower() in spec.choices:
            return value.strip().lower()
        if isinstance(value, int) and not isinstance(value, bool):
            for choice_name, number in spec.choices.items():
                if number == value:
                    return choice_name
        raise bad(Text("sf_why_not_choice"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise bad(Text("sf_why_not_number"))
    if spec.kind == "whole":
        if isinstance(value, float) and not value.is_integer():
            raise bad(Text("sf_why_not_whole"))
        value = int(value)
    else:
        value = float(value)
        if not math.isfinite(value):
            raise bad(Text("sf_why_not_finite"))
    if not spec.check(value):
        raise bad(Text("sf_why_out_of_range"))
    return value


def validate_fields(name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """``fields`` of symbol ``name`` checked and normalized (currencies upper case, choices by name, numbers
    as int/float); SymbolFileError naming the symbol, the field and the allowed values."""
    symbol = _symbol_key(name)
    unknown = sorted(str(k) for k in fields if k not in FIELDS)
    if unknown:
        raise SymbolFileError(Text("sf_unknown_fields", symbol=symbol, unknown=", ".join(unknown),
                                   known=", ".join(FIELDS)))
    out = {key: _value(symbol, key, FIELDS[key], fields[key]) for key in FIELDS if key in fields}
    if symbol not in BUILTIN_DIGITS:
        missing = [key for key in REQUIRED if key not in out]
        if missing:
            raise SymbolFileError(Text("sf_needs_required", symbol=symbol, required=", ".join(REQUIRED),
                                       missing=", ".join(missing)))
    if "volume_min" in out and "volume_max" in out and out["volume_min"] > out["volume_max"]:
        raise SymbolFileError(Text("sf_volume_order", symbol=symbol, low=out["volume_min"], high=out["volume_max"]))
    return out


def spec_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validated ``fields`` as :class:`mas.sim.symbols.SymbolSpec` takes them (choices as MT5's numbers)."""
    out = dict(fields)
    for key, value in fields.items():
        if FIELDS[key].kind == "choice":
            out[key] = FIELDS[key].choices[value]
    return out


@dataclass(frozen=True)
class SymbolFile:
    """The symbols file's contents: validated specs by upper-case name, and suffixes by broker profile."""

    symbols: dict[str, dict[str, Any]] = field(default_factory=dict)
    suffixes: dict[str, str] = field(default_factory=dict)


def _parse(content: bytes, path: Path) -> SymbolFile:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10: the tomli backport
        import tomli as tomllib
    try:
        document = tomllib.loads(content.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SymbolFileError(Text("sf_not_toml", path=str(path), reason=str(exc))) from None
    unknown = sorted(set(document) - {"symbols", "suffixes"})
    if unknown:
        raise SymbolFileError(Text("sf_unknown_tables", path=str(path), unknown=", ".join(unknown)))
    symbols: dict[str, dict[str, Any]] = {}
    tables = document.get("symbols", {})
    if not isinstance(tables, dict):
        raise SymbolFileError(Text("sf_symbols_tables", path=str(path)))
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise SymbolFileError(Text("sf_symbol_table", path=str(path), name=name))
        try:
            symbols[_symbol_key(name)] = validate_fields(name, table)
        except SymbolFileError as exc:
            raise SymbolFileError(Text("in_file_problem", path=str(path), problem=text_of(exc))) from None
    suffixes = document.get("suffixes", {})
    if not isinstance(suffixes, dict):
        raise SymbolFileError(Text("sf_suffixes_table", path=str(path)))
    for profile, suffix in suffixes.items():
        _check_suffix(profile, suffix, path)
    return SymbolFile(symbols, dict(suffixes))


def _check_suffix(profile: Any, suffix: Any, where: Path | None = None) -> None:
    prefix = Text("path_prefix", path=str(where)) if where else ""
    if not isinstance(profile, str) or not _PROFILE.match(profile):
        raise SymbolFileError(Text("sf_suffix_profile", prefix=prefix, profile=profile))
    if not isinstance(suffix, str) or not _SUFFIX.match(suffix):
        raise SymbolFileError(Text("sf_suffix_invalid", prefix=prefix, profile=profile, suffix=suffix))


_cache: dict[Path, tuple[tuple[int, int, int], SymbolFile]] = {}


def load_symbol_file(path: Path | None = None) -> SymbolFile:
    """The file's validated contents (empty when there is no file); re-read only when the file changed."""
    path = path or symbols_path()
    try:
        stat = path.stat()
    except (FileNotFoundError, NotADirectoryError):  # no file there (MAS_HOME may not even be a folder yet)
        return SymbolFile()
    stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    cached = _cache.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    loaded = _parse(path.read_bytes(), path)
    _cache[path] = (stamp, loaded)
    return loaded


def user_symbol_fields() -> dict[str, dict[str, Any]]:
    """The user's specs by upper-case name, as :class:`mas.sim.symbols.SymbolSpec` fields."""
    return {name: spec_fields(fields) for name, fields in load_symbol_file().symbols.items()}


def matching(names: list[str], pattern: str | None) -> list[str]:
    """``names`` that match the shell pattern ``pattern`` (``*JPY*``), case-insensitively; all without one."""
    if not pattern:
        return list(names)
    return [n for n in names if fnmatch.fnmatchcase(n.upper(), pattern.upper())]


# ---------------------------------------------------------------------- writing
def _update(change: Callable[[SymbolFile], SymbolFile], path: Path | None) -> Path:
    """Read, change and write the file under its lock; the file stays as it was when anything fails."""
    path = path or symbols_path()
    with locked(path, timeout=60.0):
        current = _parse(path.read_bytes(), path) if path.exists() else SymbolFile()
        write_bytes_atomically(path, _render(change(current)).encode("utf-8"))
    return path


def add_symbol(name: str, fields: Mapping[str, Any], path: Path | None = None) -> tuple[Path, bool]:
    """Add or replace the spec of ``name``; returns the file and whether a user spec of that name was replaced."""
    key = _symbol_key(name)
    checked = validate_fields(key, fields)
    replaced = False

    def change(current: SymbolFile) -> SymbolFile:
        nonlocal replaced
        replaced = key in current.symbols
        return SymbolFile({**current.symbols, key: checked}, current.suffixes)

    return _update(change, path), replaced


def remove_symbol(name: str, path: Path | None = None) -> bool:
    """Remove the user spec of ``name``; False when the file has none."""
    key = _symbol_key(name)
    path = path or symbols_path()
    if key not in load_symbol_file(path).symbols:
        return False
    found = False

    def change(current: SymbolFile) -> SymbolFile:
        nonlocal found
        found = key in current.symbols
        return SymbolFile({k: v for k, v in current.symbols.items() if k != key}, current.suffixes)

    _update(change, path)
    return found


def set_suffix(profile: str, suffix: str | None, path: Path | None = None) -> Path:
    """Map broker profile ``profile`` (``*``: every profile) to ``suffix``; None removes the mapping."""
    if suffix is not None:
        _check_suffix(profile, suffix)

    def change(current: SymbolFile) -> SymbolFile:
        suffixes = {k: v for k, v in current.suffixes.items() if k != profile}
        if suffix is not None:
            suffixes[profile] = suffix
        return SymbolFile(current.symbols, suffixes)

    return _update(change, path)


def _render(document: SymbolFile) -> str:
    lines = ["# MAS symbol specifications (mas symbols add|remove|suffix, or edit by hand; see docs/data.md).", ""]
    for name in sorted(document.symbols):
        lines.append(f"[symbols.{toml_key(name)}]")
        lines += [f"{key} = {toml_value(value)}" for key, value in document.symbols[name].items()]
        lines.append("")
    if document.suffixes:
        lines.append("[suffixes]")
        lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in sorted(document.suffixes.items())]
        lines.append("")
    return "\n".join(lines)




# ---------------------------------------------------------------------- broker suffixes
def suffix_of(profile: str | None, document: SymbolFile) -> str:
    """The suffix ``document`` gives broker ``profile``: its own entry, else ``*``'s ('' for none)."""
    if profile and profile in document.suffixes:
        return document.suffixes[profile]
    return document.suffixes.get("*", "")


def base_symbol(name: str, document: SymbolFile | None = None) -> str:
    """``name`` without a broker suffix of the file (``EURUSD.m`` -> ``EURUSD``, in any case); unchanged without one."""
    document = load_symbol_file() if document is None else document
    for suffix in sorted(set(document.suffixes.values()), key=len, reverse=True):
        if len(name) > len(suffix) and name.upper().endswith(suffix.upper()):
            return name[: -len(suffix)]
    return name


def broker_symbol(name: str, profile: str | None = None, document: SymbolFile | None = None) -> str:
    """The broker's name of symbol ``name`` for broker ``profile``: the strategy's ``EURUSD`` -> ``EURUSD.m`` with
    ``[suffixes]`` giving ``.m`` for that profile (or ``*``); a name already suffixed keeps one suffix."""
    document = load_symbol_file() if document is None else document
    suffix = suffix_of(profile, document)
    if not suffix:
        return name
    return base_symbol(name, document) + suffix


# ---------------------------------------------------------------------- MT5 exports
_MT5_COLUMNS = {
    "description": "description", "currency_base": "base", "currency_profit": "profit",
    "currency_margin": "margin", "digits": "digits", "trade_contract_size": "contract_size",
    "trade_calc_mode": "calc_mode", "volume_min": "volume_min", "volume_max": "volume_max",
    "volume_step": "volume_step", "spread": "spread", "swap_long": "swap_long", "swap_short": "swap_short",
    "swap_rollover3days": "swap_rollover3days", "margin_hedged": "margin_hedged",
    "trade_stops_level": "stops_level", "trade_mode": "trade_mode", "path": "path",
}
"""``symbol_info`` column -> spec field; the file's columns may also be the spec's own field names."""


def fields_from_mt5_csv(path: Path, name: str) -> dict[str, Any]:
    """The spec fields of ``name`` in a CSV of MT5 symbol records (a header row of ``symbol_info`` names, e.g.
    ``pandas.DataFrame(mt5.symbols_get()).to_csv``; or of spec field names), one row per symbol."""
    key = _symbol_key(name)
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise SymbolFileError(Text("sf_csv_unreadable", path=str(path), reason=exc)) from None
    names = [str(row.get("name", "")).strip() for row in rows]
    for row, row_name in zip(rows, names, strict=True):
        if row_name.upper() == key:
            return _row_fields(row)
    shown = ", ".join(n for n in names[:20] if n) or Text("sf_csv_no_rows")
    raise SymbolFileError(Text("sf_csv_no_row", path=str(path), name=key, shown=shown))


def _row_fields(row: Mapping[str, str | None]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column, raw in row.items():
        key = _MT5_COLUMNS.get(str(column).strip(), str(column).strip())
        if key not in FIELDS or raw is None or raw.strip() == "":
            continue
        text = raw.strip()
        if FIELDS[key].kind in ("text", "currency"):
            out[key] = text
            continue
        try:
            number = float(text)
        except ValueError:
            out[key] = text  # a choice by name, or a bad value validate_fields names
            continue
        out[key] = int(number) if FIELDS[key].kind != "number" and number.is_integer() else number
    if out.get("margin_hedged") == 0:
        out.pop("margin_hedged")  # MT5 writes 0 for "not set"
    return out
