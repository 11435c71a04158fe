"""``from mas.mas import MAS``: the name the published examples import."""

from mas.client import MAS

__all__ = ["MAS"]
