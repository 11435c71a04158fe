"""What an import found and did: the quality report, its issues, and the error for malformed files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mas.data.tick_store import TickStoreUpdate


class ImportFormatError(ValueError):
    """A file that cannot be read as the expected format; names the file and the 1-based line."""

    def __init__(self, path: Path | str, line: int, problem: str) -> None:
        self.path = Path(path)
        self.line = line
        self.problem = problem
        super().__init__(f"{path}:{line}: {problem}")

    def __reduce__(self):
        return type(self), (self.path, self.line, self.problem)


@dataclass(frozen=True)
class ImportIssue:
    """Rows of one kind of problem: how many, and the first few line numbers."""

    kind: str
    description: str
    count: int
    lines: tuple[int, ...]
    stored: bool  # whether such rows are still stored


@dataclass(frozen=True)
class ImportReport:
    """The outcome of importing one file into the store.

    For a tick file, ``timeframe`` is "TICKS", ``rows_stored`` counts ticks, ``tick_update`` says
    what the tick store did, and the ``bars_*`` fields describe the M1 bars built from the ticks.
    """

    path: Path
    symbol: str
    timeframe: str
    rows_read: int
    rows_stored: int
    first: datetime | None
    last: datetime | None
    issues: list[ImportIssue] = field(default_factory=list)
    store_path: Path | None = None
    bars_added: int = 0
    bars_replaced: int = 0
    bars_total: int = 0
    file_format: str = "mt5"
    tick_update: TickStoreUpdate | None = None
