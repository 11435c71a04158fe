"""Every data test runs against an empty store in a temp folder, never ~/.mas."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

import pytest

from mas.data import store

SAMPLE_CSV = Path(__file__).parent / "fixtures" / "EURUSD_H1_2017_ask.csv"
MT5_HEADER = "<DATE>\t<TIME>\t<OPEN>\t<HIGH>\t<LOW>\t<CLOSE>\t<TICKVOL>\t<VOL>\t<SPREAD>"


@pytest.fixture(autouse=True)
def mas_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "mas_home"
    monkeypatch.setenv("MAS_HOME", str(home))
    store.clear_cache()
    return home


@contextmanager
def fresh_mas_home() -> Iterator[Path]:
    """A new empty MAS_HOME for one hypothesis example (function fixtures are shared by examples)."""
    previous = os.environ.get("MAS_HOME")
    with TemporaryDirectory() as folder:
        os.environ["MAS_HOME"] = folder
        try:
            yield Path(folder)
        finally:
            if previous is None:
                del os.environ["MAS_HOME"]
            else:
                os.environ["MAS_HOME"] = previous


def write_mt5_export(
    path: Path, rows: Sequence[str], header: str = MT5_HEADER, encoding: str = "utf-8"
) -> Path:
    """Write an MT5 history export with ``rows`` (tab-separated lines) under ``header``."""
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding)
    return path
