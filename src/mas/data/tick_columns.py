"""Ticks as columns: one array per ``TICKS_DTYPE`` field instead of an array of 60-byte rows.

A replay reads a few columns (times, bids, asks) a chunk at a time; rows (``TICKS_DTYPE``) are made only
for the ticks asked for (:meth:`TickColumns.rows`). The columns may be read-only views of what they were
made from (a tick file's Arrow buffers, a ``TICKS_DTYPE`` array): nothing here writes into them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from mas.terminal.types import TICKS_DTYPE

FIELDS = ("time_msc", "bid", "ask", "last", "volume", "flags", "volume_real")
"""The columns of a tick (``TICKS_DTYPE`` without ``time``: it is ``time_msc // 1000``)."""
_KINDS = {name: TICKS_DTYPE.fields[name][0] for name in FIELDS}


class TickColumns:
    """Ticks in time order as columns: ``time_msc`` (epoch milliseconds), ``bid``, ``ask``, ``last``,
    ``volume``, ``flags`` and ``volume_real``. Each column is kept as the pieces it was read in (one per
    day file, say; ``sizes``: the ticks of each, when the pieces lack ``time_msc``) and joined into one array
    the first time it is asked for (:meth:`column`; times, bids and asks at once); a column missing from a
    piece is zeros there, as in a ``TICKS_DTYPE`` array."""

    def __init__(self, pieces: Sequence[Mapping[str, np.ndarray]], rows: np.ndarray | None = None,
                 joined: Mapping[str, np.ndarray] | None = None, sizes: Sequence[int] | None = None) -> None:
        self.pieces = [dict(piece) for piece in pieces]
        self.sizes = [len(piece["time_msc"]) for piece in self.pieces] if sizes is None else list(sizes)
        """Ticks per piece."""
        self.size = sum(self.sizes)
        """How many ticks."""
        self.joined: dict[str, np.ndarray] = dict(joined or {})
        """The columns joined so far (and any given whole, ``joined``, in place of the pieces')."""
        self.table = rows
        """The ``TICKS_DTYPE`` array the columns are views of (:meth:`of_ticks`), else None."""
        self.time_msc = self.column("time_msc")
        self.bid = self.column("bid")
        self.ask = self.column("ask")

    @classmethod
    def of_ticks(cls, ticks: np.ndarray) -> TickColumns:
        """The columns of a ``TICKS_DTYPE`` array (views, no copy); its rows are that array's rows."""
        ticks = np.asarray(ticks, dtype=TICKS_DTYPE)
        return cls([{name: ticks[name] for name in FIELDS}], rows=ticks)

    def column(self, name: str) -> np.ndarray:
        """The whole column ``name`` (one of :data:`FIELDS`), in ``TICKS_DTYPE``'s type. Once joined, a column's
        pieces are let go (the joined column is what is kept)."""
        made = self.joined.get(name)
        if made is None:
            kind = _KINDS[name]
            parts: list[np.ndarray | None] = [piece.get(name) for piece in self.pieces]
            if all(part is None for part in parts):
                made = np.zeros(self.size, dtype=kind)
            elif len(parts) == 1:
                made = np.asarray(parts[0], dtype=kind)
            else:
                made = np.concatenate([np.zeros(n, dtype=kind) if part is None else np.asarray(part, dtype=kind)
                                       for part, n in zip(parts, self.sizes, strict=True)])
            self.joined[name] = made
            for piece in self.pieces:
                piece.pop(name, None)
        return made

    def has(self, name: str) -> bool:
        """Whether the column ``name`` was given (in some piece, or whole); one never given reads as zeros."""
        return name in self.joined or any(name in piece for piece in self.pieces)

    def is_zero(self, name: str) -> bool:
        """True when the integer column ``name`` (``volume``, ``flags``) is 0 for every tick, checked piece by
        piece (nothing joined)."""
        if name in self.joined:
            return not self.joined[name].any()
        return not any(piece[name].any() for piece in self.pieces if name in piece)

    def with_ask(self, ask: np.ndarray) -> TickColumns:
        """These ticks with ``ask`` as their asks (the other columns shared, not copied)."""
        return TickColumns(self.pieces, joined={**self.joined, "ask": np.asarray(ask, dtype=np.float64)},
                           sizes=self.sizes)

    def __len__(self) -> int:
        return self.size

    def columns(self, start: int, end: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The times (epoch milliseconds), bids and asks of ticks ``start`` to ``end`` (exclusive): views."""
        start, end = max(0, start), min(end, self.size)
        return self.time_msc[start:end], self.bid[start:end], self.ask[start:end]

    def times_msc(self, positions: np.ndarray) -> np.ndarray:
        """The times (epoch milliseconds) of the ticks at ``positions``."""
        return np.asarray(self.time_msc[positions], dtype=np.int64)

    def rows(self, start: int, end: int) -> np.ndarray:
        """Ticks ``start`` to ``end`` (exclusive) as ``TICKS_DTYPE`` rows (a view of :attr:`table` when the
        columns are a ``TICKS_DTYPE`` array's)."""
        start, end = max(0, start), min(end, self.size)
        if self.table is not None:
            return self.table[start:end]
        out = np.zeros(max(0, end - start), dtype=TICKS_DTYPE)
        time_msc = self.time_msc[start:end]
        out["time_msc"] = time_msc
        out["time"] = time_msc // 1000
        for name in FIELDS[1:]:
            if self.has(name):
                out[name] = self.column(name)[start:end]
        return out

    def to_ticks(self) -> np.ndarray:
        """Every tick as a ``TICKS_DTYPE`` array."""
        return self.rows(0, self.size)
