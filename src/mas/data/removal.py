"""``remove_stored``: delete a symbol's stored bars (one timeframe or all) and/or ticks, under the locks."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mas.data.store import BUNDLED, canonical_symbol, data_root, list_datasets, remove_bars
from mas.data.tick_store import remove_ticks, stored_tick_days
from mas.data.timeframes import timeframe_name
from mas.i18n.errors import NotFoundError, Text


@dataclass(frozen=True)
class Removal:
    """What :func:`remove_stored` deleted."""

    symbol: str
    bar_files: list[Path]
    tick_days: int


def remove_stored(symbol: str, timeframe: str | None = None, *, ticks: bool = False) -> Removal:
    """Delete ``symbol``'s stored data from the user store.

    ``timeframe`` alone: that timeframe's bars; ``ticks`` alone: the ticks; both: both; neither:
    every timeframe and the ticks. Asking for something that is not stored is a LookupError that
    says what is stored (the bundled sample is part of the package and is never removed).
    """
    name = canonical_symbol(symbol)
    tf = timeframe_name(timeframe) if timeframe is not None else None
    infos = list_datasets(name)
    stored_tfs = [info.timeframe for info in infos if info.source != BUNDLED]
    has_ticks = bool(stored_tick_days(name))
    if not stored_tfs and not has_ticks:
        raise NotFoundError(_nothing_stored(name, bundled=any(info.source == BUNDLED for info in infos)))
    everything = tf is None and not ticks
    missing = []
    if tf is not None and tf not in stored_tfs:
        missing.append(Text("removal_tf_bars", timeframe=tf))
    if ticks and not has_ticks:
        missing.append(Text("word_ticks"))
    if missing:
        stored = [Text("removal_tf_bars", timeframe=t) for t in stored_tfs]
        stored += [Text("word_ticks")] if has_ticks else []
        raise NotFoundError("removal_not_stored", symbol=name, missing=Text.lines(missing, Text("sep_or")),
                            root=str(data_root()), stored=Text.lines(stored, ", "))
    bar_files = remove_bars(name, tf) if (everything or tf is not None) else []
    tick_days = remove_ticks(name) if (everything or ticks) else 0
    return Removal(symbol=name, bar_files=bar_files, tick_days=tick_days)


def _nothing_stored(name: str, *, bundled: bool) -> Text:
    root = data_root()
    symbols = {info.symbol for info in list_datasets() if info.source != BUNDLED}
    if root.is_dir():
        symbols |= {p.parent.name.upper() for p in root.glob("*/ticks") if not p.parent.name.startswith(".")
                    and stored_tick_days(p.parent.name)}
    parts = [Text("removal_nothing", symbol=name, root=str(root)),
             Text("removal_stored_symbols", symbols=", ".join(sorted(symbols))) if symbols
             else Text("removal_store_empty")]
    if bundled:
        parts.append(Text("removal_bundled", symbol=name))
    return Text.lines(parts, "")
