"""What an import found and did: the quality report, its issues, and the error for malformed files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path


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
    """The outcome of importing one file into the store."""

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
