"""MAS-compatible forex margin-trading SDK.

Users write ``import mas`` and ``class Client(mas): ...``: the module itself serves as a
base class through a module-level ``__mro_entries__`` (PEP 560), which resolves to
:class:`mas.client.MAS`.
"""

from __future__ import annotations

from mas.build_info import warn_if_stale
from mas.client import MAS

warn_if_stale()

__version__ = "0.1.0"
__all__ = ["MAS", "__version__"]


def __mro_entries__(bases: tuple) -> tuple[type]:
    """Let ``class Client(mas)`` subclass :class:`MAS`."""
    return (MAS,)
