"""Compact columns for the report pages: numbers packed once, decoded by the page's shared script.

A report page carries each series once (bar times, prices, equity, the trade and deal lists) as a *packed
column*, a small JSON object that ``assets/report.js`` (``MASReport.col``) turns back into a Float64Array:

- ``{"n": 3, "k": 5, "s": 105162, "t": "i2", "b": "..."}``: integers ``q`` (the values times ``10**k``), the
  first one ``s`` and the ``n - 1`` differences between neighbours as little-endian int8 / int16 / int32
  (``t`` is ``i1`` / ``i2`` / ``i4``, the narrowest that holds them), in base64; the value is ``q / 10**k``.
- ``{"n": .., "k": .., "s": .., "r": [[d, count], ...]}``: the same differences run-length encoded, when
  that is shorter (bar times: one run per stretch without a gap; a balance that moves only at a close).
- ``{"n": .., "t": "f8" | "f4", "b": "..."}``: raw little-endian floats, when no ``k`` up to
  :data:`MAX_DECIMALS` holds every value exactly (or ``float32=True`` asks for float32).
- ``"g"``: a common step of the differences (bar times: 3,600 s), which are then carried in steps.
- ``"z": [[start, count], ...]``: runs of NaN (drawn as gaps, shown as "-"), or ``"m"``: one bit per value, set
  for NaN (little-endian bit order, base64), when that is shorter; a NaN repeats the value before it otherwise.

Exact: with ``decimals=None`` the fewest decimals that give back every value bit for bit are used
(``q / 10**k == value`` in float64, the same division the browser does), so prices come back as the engine's
doubles; ``decimals=2`` rounds to cents (a display series such as equity), on purpose. :func:`unpack` is the
Python reader (tests, round trips).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

MAX_DECIMALS = 9
_INT_TYPES = (("i1", "<i1"), ("i2", "<i2"), ("i4", "<i4"))
_FLOAT_TYPES = {"f8": "<f8", "f4": "<f4"}
_MAX_EXACT = 2.0**52  # integers and their differences stay exact in float64 (the page sums in float64)


def _b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def _nan_runs(nan: np.ndarray) -> list[list[int]]:
    """``[[start, count], ...]`` of the True runs of ``nan``."""
    if not nan.any():
        return []
    edges = np.diff(np.concatenate(([0], nan.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [[int(a), int(b - a)] for a, b in zip(starts, ends, strict=True)]


def exact_decimals(values: np.ndarray, max_decimals: int = MAX_DECIMALS) -> int | None:
    """The fewest decimals ``k`` (0 to ``max_decimals``) with ``round(v * 10**k) / 10**k == v`` for every finite
    value, or None."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if not len(v):
        return 0
    for k in range(max_decimals + 1):
        scale = 10.0**k
        q = np.round(v * scale)
        if np.abs(q).max() >= _MAX_EXACT:
            return None
        if np.array_equal(q / scale, v):
            return k
    return None


def pack(values: Any, decimals: int | None = None, *, float32: bool = False) -> dict[str, Any]:
    """``values`` (numbers, NaN for none) as a packed column (see the module doc).

    ``decimals=None``: exact (the fewest decimals that hold every value, else float64); ``decimals=k``: rounded
    to ``k`` decimals; ``float32=True``: float32 (plotted indicator series)."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    n = len(v)
    nan = ~np.isfinite(v)
    out: dict[str, Any] = {"n": n}
    runs = _nan_runs(nan)
    if len(runs) * 12 > n // 6 + 8:  # many runs: a bit per value (LSB first) is shorter
        out["m"] = _b64(np.packbits(nan, bitorder="little"))
    elif runs:
        out["z"] = runs
    if float32:
        return {**out, "t": "f4", "b": _b64(v.astype("<f4"))}
    k = exact_decimals(v) if decimals is None else int(decimals)
    q = None
    if k is not None and n:
        filled = np.where(nan, np.nan, v * 10.0**k)
        if nan.any():  # a NaN repeats the value before it (0 at the start): no difference to carry
            idx = np.where(~nan, np.arange(n), 0)
            np.maximum.accumulate(idx, out=idx)
            filled = np.where(nan[idx], 0.0, filled[idx])
        q = np.round(filled)
        if np.abs(q).max() >= _MAX_EXACT:
            q = None
    if q is None:
        return {**out, "t": "f8", "b": _b64(v.astype("<f8"))}
    d = np.diff(q).astype(np.int64)
    out.update(k=k, s=int(q[0]) if n else 0)
    g = int(np.gcd.reduce(np.abs(d))) if len(d) else 0
    if g > 1:  # a common step (bar times: 3,600 s): the differences in steps
        d //= g
        out["g"] = g
    lo, hi = (int(d.min()), int(d.max())) if len(d) else (0, 0)
    code = next((c for c, dt in _INT_TYPES if np.iinfo(dt).min <= lo and hi <= np.iinfo(dt).max), None)
    width = dict(_INT_TYPES)[code][-1] if code else "0"
    b64_chars = -(-len(d) * int(width) // 3) * 4 if code else None
    change = np.flatnonzero(np.diff(d)) + 1 if len(d) else np.zeros(0, dtype=np.int64)
    starts = np.concatenate(([0], change)).astype(np.int64) if len(d) else change
    if b64_chars is None or len(starts) * 4 < b64_chars:  # few runs: maybe shorter as [difference, count] pairs
        counts = np.diff(np.concatenate((starts, [len(d)])))
        rle = [[int(d[a]), int(c)] for a, c in zip(starts, counts, strict=True)]
        if b64_chars is None or len(json.dumps(rle, separators=(",", ":"))) < b64_chars:
            if b64_chars is not None or len(rle) * 4 < n * 11:
                return {**out, "r": rle}
    if code is None:
        return {**{key: out[key] for key in ("n", "z", "m") if key in out}, "t": "f8", "b": _b64(v.astype("<f8"))}
    return {**out, "t": code, "b": _b64(d.astype(dict(_INT_TYPES)[code]))}


def unpack(col: dict[str, Any]) -> np.ndarray:
    """A packed column back as float64 (NaN where it had none): what ``MASReport.col`` gives the page."""
    n = int(col["n"])
    if col.get("t") in _FLOAT_TYPES:
        out = np.frombuffer(base64.b64decode(col["b"]), dtype=_FLOAT_TYPES[col["t"]]).astype(np.float64)
    else:
        if "r" in col:
            d = np.repeat([r[0] for r in col["r"]], [r[1] for r in col["r"]]).astype(np.float64)
        else:
            d = np.frombuffer(base64.b64decode(col["b"]), dtype=dict(_INT_TYPES)[col["t"]]).astype(np.float64)
        q = np.concatenate(([float(col["s"])], d * int(col.get("g", 1))))[:n] if n else np.zeros(0)
        out = np.cumsum(q) / 10.0 ** int(col["k"]) if int(col["k"]) else np.cumsum(q)
    out = np.array(out, dtype=np.float64)
    for start, count in col.get("z", []):
        out[start:start + count] = np.nan
    if "m" in col:
        out[np.unpackbits(np.frombuffer(base64.b64decode(col["m"]), dtype=np.uint8), count=n,
                          bitorder="little").astype(bool)] = np.nan
    return out


def dumps(data: Any) -> str:
    """``data`` as JSON for inside a ``<script>`` element (``<`` escaped, so no text can close the script)."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")
