"""``njit``: numba's when it is installed (the optional ``numba`` extra), else the plain function.

Kernels are written in the subset of Python numba compiles, so both give the same floats: the
operations and their order are the same, only the interpreter differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["HAVE_NUMBA", "inline", "njit", "prefetch"]

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


def inline(function: Callable[..., Any]) -> Callable[..., Any]:
    """:func:`njit`, and inlined where a compiled function calls it (a small helper of a hot loop: a call
    there costs more than its body)."""
    if numba is None:  # pragma: no cover
        return function
    return numba.njit(cache=True, nogil=True, inline="always")(function)


def _no_prefetch(array: Any, index: int) -> None:
    """Without numba there is nothing to prefetch into."""


def _compiled_prefetch() -> Callable[..., Any]:
    """``prefetch(array, index)``: ask the CPU to bring ``array[index]`` (a 1-d array's item, or the start of a
    2-d array's row) into the cache without waiting for it (``llvm.prefetch``: a hint; it never faults and
    changes no result)."""
    from llvmlite import ir
    from numba import types
    from numba.core import cgutils
    from numba.extending import intrinsic

    @intrinsic
    def prefetch(typingctx: Any, table: Any, row: Any) -> Any:
        if not isinstance(table, types.Array) or table.ndim not in (1, 2) or not isinstance(row, types.Integer):
            return None

        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            kind = signature.args[0]
            array = context.make_array(kind)(context, builder, args[0])
            index = context.cast(builder, args[1], signature.args[1], types.intp)
            pointer = cgutils.get_item_pointer2(
                context, builder, data=array.data, shape=cgutils.unpack_tuple(builder, array.shape),
                strides=cgutils.unpack_tuple(builder, array.strides), layout=kind.layout,
                inds=[index] + [context.get_constant(types.intp, 0)] * (kind.ndim - 1), wraparound=False,
                boundscheck=False)
            byte = ir.IntType(8).as_pointer()
            word = ir.IntType(32)
            function = cgutils.get_or_insert_function(  # the name llvmlite gives the overload for this pointer
                builder.module, ir.FunctionType(ir.VoidType(), [byte, word, word, word]),
                "llvm.prefetch." + byte.intrinsic_name)
            builder.call(function, [builder.bitcast(pointer, byte), ir.Constant(word, 0), ir.Constant(word, 3),
                                    ir.Constant(word, 1)])  # read, keep in all cache levels, data
            return context.get_dummy_value()

        return types.void(table, row), codegen

    return prefetch


def _probe(vector: Any, table: Any) -> None:
    _candidate(vector, 0)
    _candidate(table, 0)


def _checked_prefetch() -> Callable[..., Any]:
    """The compiled prefetch when this numba compiles it (it uses numba's extension API, which moves between
    releases), else the no-op: the kernels then compile and give the same results, a little slower."""
    if _candidate is _no_prefetch:
        return _no_prefetch
    try:
        import numpy as np

        numba.njit(cache=True)(_probe)(np.zeros(1), np.zeros((1, 1)))
    except Exception:  # noqa: BLE001 - any failure of the hint means: go without it
        return _no_prefetch
    return _candidate


_candidate = _compiled_prefetch() if HAVE_NUMBA and not numba.config.DISABLE_JIT else _no_prefetch
prefetch = _checked_prefetch()
