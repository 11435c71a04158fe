"""Historical data: the Parquet store, timeframes, importers and the bundled sample.

The store's API is re-exported lazily (``from mas.data import load_bars``), so importing
``mas.data.timeframes`` does not load pyarrow.
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

__all__ = list(_STORE_NAMES)


def __getattr__(name: str) -> Any:
    if name in _STORE_NAMES:
        return getattr(import_module("mas.data.store"), name)
    raise AttributeError(f"module 'mas.data' has no attribute {name!r}")
