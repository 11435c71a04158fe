"""Checks made before a backtest replays anything: a setting that would fail on every order is one
clear error up front, not a rejection per order.

Currency conversion: P&L (in each symbol's profit currency) and margin (in its margin currency)
are converted into the account currency with the price of a pair that links the two, at the time
of the trade: a replayed symbol, or the stored bars of a built-in (or overridden) symbol, the way
:class:`mas.sim.symbols.CurrencyConverter` looks them up (the pair itself, else both currencies'
USD pairs). When none is there, the backtest could not value a single trade: :func:`check_conversions`
raises :class:`~mas.sim.symbols.ConversionError` naming the pair whose bars are needed and the
commands that get them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from itertools import combinations
from typing import TYPE_CHECKING

from mas.data.store import MissingDataError, download_command, format_range, load_bars
from mas.i18n.errors import Text
from mas.sim.symbols import ConversionError, CurrencyConverter, SymbolSpec

if TYPE_CHECKING:
    from mas.sim.settings import BacktestSettings


def check_conversions(settings: BacktestSettings, specs: dict[str, SymbolSpec] | None = None) -> None:
    """Raise ConversionError when a replayed symbol's profit or margin currency cannot be converted into
    the account currency with the replayed symbols and the stored bars (the conversion data the replay
    would load); nothing is loaded when the replayed symbols suffice. ``specs``: ``settings.specs()`` when the
    caller has them already."""
    specs = settings.specs() if specs is None else specs
    account = settings.currency
    replayed = [specs[name] for name in settings.symbols]
    needed = sorted({cur for spec in replayed for cur in (spec.profit, spec.margin) if cur != account})
    if not needed:
        return
    own = () if settings.timeframe == "TICK" else (settings.timeframe,)
    known: dict[str, bool] = {name: True for name in settings.symbols}

    def stored(symbol: str) -> bool:
        if symbol not in known:
            known[symbol] = symbol in specs and _has_bars(symbol, (*own, "M1", "H1", "D1"), settings)
        return known[symbol]

    if all(_convertible(cur, account, stored) for cur in needed):
        return
    missing = [cur for cur in needed if not _convertible(cur, account, stored)]
    raise ConversionError(_message(settings, replayed, missing, stored, [n for n in specs if not stored(n)]))


def _has_bars(symbol: str, timeframes: Iterable[str], settings: BacktestSettings) -> bool:
    for timeframe in dict.fromkeys(timeframes):
        try:
            load_bars(symbol, timeframe, settings.start, settings.end)
        except MissingDataError:
            continue
        return True
    return False


def _convertible(source: str, target: str, has: Callable[[str], bool]) -> bool:
    """Whether ``CurrencyConverter.rate(source, target)`` finds a route with the symbols ``has`` says exist:
    the converter's own rule, asked with a stand-in price for each symbol that has bars."""
    converter = CurrencyConverter(price_of=lambda symbol: 1.0 if has(symbol) else 0.0)
    try:
        converter.rate(source, target)
    except ConversionError:
        return False
    return True


def _message(settings: BacktestSettings, replayed: list, missing: list[str], stored: Callable[[str], bool],
             candidates: list[str]) -> Text:
    account = settings.currency
    amounts = []
    for spec in replayed:
        parts = [Text("conv_profit_in", currency=spec.profit) if spec.profit in missing else "",
                 Text("conv_margin_in", currency=spec.margin)
                 if spec.margin in missing and spec.margin != spec.profit else ""]
        if any(parts):
            amounts.append(Text("conv_amount", symbol=spec.name, parts=Text.lines([p for p in parts if p], ", ")))
    fixes = _smallest_fix(missing, account, stored, candidates)
    start, end = _replay_span(settings)
    span = format_range(start, end)
    lines: list[str] = [Text("conv_head", account=account, amounts=Text.lines(amounts, Text("sep_and")),
                             missing=Text.lines(missing, Text("sep_or")))]
    if fixes:
        lines.append(Text("conv_needs", names=Text.lines(fixes, Text("sep_and")), span=span))
        lines += [f"  {download_command(name, start, end, ticks=False)}" for name in fixes]
        lines.append(Text("conv_or_import", commands="; ".join(f"mas data import FILE --symbol {name} --timeframe H1"
                                                                 for name in fixes)))
    else:
        lines.append(Text("conv_needs_pairs", span=span,
                          pairs=Text.lines([f"{cur}{account}/{account}{cur}" for cur in missing], Text("sep_or"))))
    usable = sorted({cur for spec in replayed for cur in (spec.base, spec.profit, spec.margin)
                     if all(_convertible(c, cur, stored) for s in replayed for c in (s.profit, s.margin))})
    if usable:
        lines.append(Text("conv_usable", usable=", ".join(usable), first=usable[0]))
    return Text.lines(lines)


def _replay_span(settings: BacktestSettings) -> tuple[datetime | None, datetime | None]:
    """The range to name: the settings' own, else the replayed bars' first and last times (when stored)."""
    start, end = settings.start, settings.end
    if (start is not None and end is not None) or settings.timeframe == "TICK":
        return start, end
    try:
        times = load_bars(settings.symbols[0], settings.timeframe, start, end).rates["time"]
    except MissingDataError:
        return start, end
    epoch = datetime(1970, 1, 1)
    return (start or epoch + timedelta(seconds=int(times[0])), end or epoch + timedelta(seconds=int(times[-1])))


def _smallest_fix(missing: list[str], account: str, stored: Callable[[str], bool],
                  candidates: list[str]) -> list[str]:
    """The fewest symbols (one or two, in ``candidates`` order) whose bars would make every conversion possible."""
    for size in (1, 2):
        for extra in combinations(candidates, size):
            def has(symbol: str, added: tuple[str, ...] = extra) -> bool:
                return symbol in added or stored(symbol)

            if all(_convertible(cur, account, has) for cur in missing):
                return list(extra)
    return []
