"""The simulated MT5 server behind ``mas sim serve``: a replayed market, accounts kept in SQLite,
and the MetaTrader5 function set over RPyC (:mod:`.service`)."""

from mas.live.simserver.exchange import ReplaySpec, SimExchange
from mas.live.simserver.server import SimServer

__all__ = ["ReplaySpec", "SimExchange", "SimServer"]
