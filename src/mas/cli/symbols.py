"""``mas symbols add|list|show|remove|suffix``: symbol specifications in ``$MAS_HOME/symbols.toml``.

Every backtest, the sim server and ``get_symbols`` see the file's specs next to the built-in ones
(:mod:`mas.data.symbol_file`, :func:`mas.sim.symbols.resolve_spec`).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mas.cli.errors import fail
from mas.cli.lang import say
from mas.cli.options import parse_param
from mas.data.symbol_file import (
    CALC_MODES,
    DAYS,
    FIELDS,
    TRADE_MODES,
    SymbolFileError,
    add_symbol,
    fields_from_mt5_csv,
    load_symbol_file,
    matching,
    remove_symbol,
    set_suffix,
    symbols_path,
)
from mas.i18n.errors import InputError, NotFoundError, Text, text_of

__all__ = ["symbols_app"]

symbols_app = typer.Typer(help="Symbol specifications in $MAS_HOME/symbols.toml (next to the built-in ones).",
                          no_args_is_help=True, add_completion=False)

_EXPECTED = (ValueError, LookupError, OSError)
_NAMES_BY_NUMBER = {"calc_mode": CALC_MODES, "trade_mode": TRADE_MODES, "swap_rollover3days": DAYS}


def _fail(exc: BaseException) -> NoReturn:
    fail(exc)


def _spec_dict(name: str) -> dict[str, Any]:
    """The resolved spec of ``name`` as the symbols file writes it (choices by name)."""
    from mas.sim.symbols import resolve_spec

    spec = resolve_spec(name)
    out = {f.name: getattr(spec, f.name) for f in dataclass_fields(spec) if f.name != "name"}
    for key, choices in _NAMES_BY_NUMBER.items():
        out[key] = next((label for label, number in choices.items() if number == out[key]), out[key])
    return {k: v for k, v in out.items() if v is not None}


@symbols_app.command("add")
def add(
    name: str = typer.Argument(..., help="Symbol name, e.g. US30 or EURUSD.m (case-insensitive)."),
    base: str | None = typer.Option(None, help="Base currency, e.g. EUR (USD for a US index)."),
    profit: str | None = typer.Option(None, help="Profit (quote) currency, e.g. USD."),
    margin: str | None = typer.Option(None, help="Margin currency (default: the base currency)."),
    digits: int | None = typer.Option(None, help="Decimals of the price, 0-10."),
    contract_size: float | None = typer.Option(None, "--contract-size", help="Units per lot, e.g. 100000 or 1."),
    calc_mode: str | None = typer.Option(None, "--calc-mode", help=f"Margin formula: {', '.join(CALC_MODES)}."),
    spread: int | None = typer.Option(None, help="Default spread in points (when the data has none)."),
    commission: float | None = typer.Option(None, help="Account currency per lot per side."),
    swap_long: float | None = typer.Option(None, "--swap-long", help="Points per lot per night."),
    swap_short: float | None = typer.Option(None, "--swap-short", help="Points per lot per night."),
    description: str | None = typer.Option(None, help="A description, e.g. 'Dow Jones 30 CFD'."),
    like: str | None = typer.Option(None, "--like", metavar="SYMBOL",
                                    help="Start from this symbol's spec (built-in or yours); options replace fields."),
    from_mt5_csv: Path | None = typer.Option(None, "--from-mt5-csv", metavar="FILE",
                                             help="Start from this symbol's row of a CSV of MT5 symbol_info records."),
    set_: list[str] = typer.Option([], "--set", metavar="FIELD=VALUE",
                                   help="Any other field, e.g. --set volume_max=50 --set trade_mode=longonly."),
) -> None:
    """Add or replace a symbol spec; a built-in's name replaces the given fields of the built-in."""
    from mas.sim.symbols import BUILTIN_SYMBOLS

    try:
        if like and from_mt5_csv:
            raise InputError("sym_like_and_csv")
        given: dict[str, Any] = {}
        if like:  # the other symbol's fields but its name, description and folder
            given = {k: v for k, v in _spec_dict(like).items() if k not in ("description", "path")}
        if from_mt5_csv is not None:
            given = fields_from_mt5_csv(from_mt5_csv, name)
        options = {"base": base, "profit": profit, "margin": margin, "digits": digits, "contract_size": contract_size,
                   "calc_mode": calc_mode, "spread": spread, "commission": commission, "swap_long": swap_long,
                   "swap_short": swap_short, "description": description}
        given.update({k: v for k, v in options.items() if v is not None})
        for item in set_:
            key, value = parse_param(item)
            if key not in FIELDS:
                raise SymbolFileError(Text("sym_set_unknown", item=item, key=key, known=", ".join(FIELDS)))
            given[key] = str(value) if FIELDS[key].kind in ("text", "currency") else value
        where, replaced = add_symbol(name, given)
    except _EXPECTED as exc:
        _fail(exc)
    key = name.strip().upper()
    typer.echo(say("out_sym_replaced" if replaced else "out_sym_saved", key=key, path=where))
    if key in BUILTIN_SYMBOLS:
        typer.echo(say("out_sym_builtin_note", key=key))


@symbols_app.command("list")
def list_symbols(
    group: str | None = typer.Option(None, "--group", metavar="PATTERN", help="Only names matching, e.g. '*JPY*'."),
) -> None:
    """The built-in and user symbols: currencies, digits, contract size, margin formula, where each comes from."""
    from mas.sim.symbols import resolve_spec, symbol_names, symbol_source

    try:
        names = matching(symbol_names(), group)
        rows = [(n, resolve_spec(n), symbol_source(n)) for n in names]
    except _EXPECTED as exc:
        _fail(exc)
    if not rows:
        typer.echo(say("out_sym_no_match", group=group))
        return
    table = Table(title=say("out_sym_table_title", path=escape(str(symbols_path()))), box=box.SIMPLE_HEAD,
                  pad_edge=False, padding=(0, 1))
    for i, column in enumerate(say("sym_columns").split("|")):  # Symbol Base Profit Digits Contract Margin Source
        table.add_column(column, no_wrap=i != 6, overflow="fold", justify="right" if i in (3, 4) else "left")
    for name, spec, source in rows:
        mode = next((label for label, number in CALC_MODES.items() if number == spec.calc_mode), str(spec.calc_mode))
        table.add_row(name, spec.base, spec.profit, str(spec.digits), f"{spec.contract_size:g}", mode,
                      _source_text(source))
    Console(highlight=False).print(table)
    suffixes = load_symbol_file().suffixes
    if suffixes:
        typer.echo(say("out_sym_suffixes", suffixes=", ".join(f"{k} -> {v}" for k, v in sorted(suffixes.items()))))


_SOURCE_KEYS = {"built-in": "sym_source_builtin", "user": "sym_source_user",
                "user over built-in": "sym_source_user_over"}


def _source_text(source: str) -> str:
    """Where a symbol's spec comes from (``symbol_source``'s word) in the command's language."""
    return say(_SOURCE_KEYS[source]) if source in _SOURCE_KEYS else source


@symbols_app.command("show")
def show(name: str = typer.Argument(..., help="Symbol name.")) -> None:
    """Every field of one symbol's spec, and where it comes from."""
    from mas.sim.symbols import resolve_spec, symbol_names, symbol_source

    try:
        spec = resolve_spec(name)
        values = _spec_dict(name)
        source = symbol_source(name)
    except _EXPECTED as exc:
        from mas.choices import suggest

        unknown = isinstance(exc, ValueError) and not isinstance(exc, SymbolFileError)
        hint = suggest(name.upper(), symbol_names()) if unknown else ""
        close = Text("sym_did_you_mean", close=hint.values["close"]) if hint and hint.key == "suggest_close" else ""
        _fail(type(exc)(Text.lines([text_of(exc), close], Text("sep_semicolon"))) if close else exc)
    if not source:
        from mas.data.symbol_file import base_symbol

        source = say("out_sym_suffix_source", base=base_symbol(spec.name).upper())
    typer.echo(f"{spec.name} ({_source_text(source)})")
    typer.echo(f"point = {spec.point:g}")
    for key, value in values.items():
        typer.echo(f"{key} = {value:g}" if isinstance(value, float) else f"{key} = {value}")


@symbols_app.command("remove")
def remove(name: str = typer.Argument(..., help="Symbol name.")) -> None:
    """Remove your spec of a symbol (a built-in one is restored; built-ins themselves stay)."""
    from mas.sim.symbols import BUILTIN_SYMBOLS

    key = name.strip().upper()
    try:
        found = remove_symbol(name)
    except _EXPECTED as exc:
        _fail(exc)
    if not found:
        why = Text("sym_why_builtin") if key in BUILTIN_SYMBOLS else Text("sym_why_list")
        _fail(NotFoundError("sym_no_spec", key=key, path=str(symbols_path()), why=why))
    removed = "out_sym_removed_builtin" if key in BUILTIN_SYMBOLS else "out_sym_removed"
    typer.echo(say(removed, key=key, path=symbols_path()))


@symbols_app.command("suffix")
def suffix_command(
    suffix: str | None = typer.Argument(None, help="The broker's suffix, e.g. .m, pro or _i."),
    profile: str = typer.Option("*", help="Broker profile it applies to ('*': every profile)."),
    remove_it: bool = typer.Option(False, "--remove", help="Remove the profile's suffix."),
) -> None:
    """Map symbol names to a broker's: with suffix '.m', a strategy's EURUSD trades EURUSD.m live, and a backtest
    of EURUSD.m takes EURUSD's spec."""
    try:
        if remove_it == (suffix is not None):
            raise InputError("sym_suffix_or_remove")
        where = set_suffix(profile, None if remove_it else suffix)
    except _EXPECTED as exc:
        _fail(exc)
    typer.echo(say("out_sym_suffix_removed", profile=profile, path=where) if remove_it
               else say("out_sym_suffix_set", profile=profile, suffix=suffix, path=where))
