"""``njit``: numba's when it is installed (the optional ``numba`` extra), else the plain function.

Kernels are written in the subset of Python numba compiles, so both give the same floats: the
operations and their order are the same, only the interpreter differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["HAVE_NUMBA", "njit"]

try:
    import numba
except ImportError:  # pragma: no cover - exercised where numba is absent
    numba = None

HAVE_NUMBA = numba is not None


def njit(function: Callable[..., Any]) -> Callable[..., Any]:
    """``numba.njit(cache=True)`` of ``function`` when numba is available, else ``function`` itself."""
    if numba is None:  # pragma: no cover
        return function
    return numba.njit(cache=True, nogil=True)(function)
