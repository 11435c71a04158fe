"""Historical data: the bar and tick stores, timeframes, importers, downloaders and the bundled sample.

The stores' API is re-exported lazily (``from mas.data import load_bars, load_ticks``), so
importing ``mas.data.timeframes`` does not load pyarrow.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_STORE_NAMES = (
    "BarSeries",
    "DatasetInfo",
    "MissingDataError",
    "StoreUpdate",
    "data_root",
    "list_datasets",
    "load_bars",
    "mas_home",
    "save_bars",
)

_OTHER_NAMES = {
    "CorruptDataError": "mas.data.validation",
    "load_bars_with_terminal": "mas.data.downloaders.terminal",
    "remove_stored": "mas.data.removal",
    "MissingTicksError": "mas.data.tick_store",
    "load_ticks": "mas.data.tick_store",
    "save_ticks": "mas.data.tick_store",
    "synthesize_ticks_from_m1": "mas.data.tick_model",
    "ticks_to_m1": "mas.data.resample",
}

__all__ = [*_STORE_NAMES, *_OTHER_NAMES]


def __getattr__(name: str) -> Any:
    if name in _STORE_NAMES:
        return getattr(import_module("mas.data.store"), name)
    if name in _OTHER_NAMES:
        return getattr(import_module(_OTHER_NAMES[name]), name)
    raise AttributeError(f"module 'mas.data' has no attribute {name!r}")
