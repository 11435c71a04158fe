"""Sessions: the state a strategy runs in, owned by the mode that needs it.

- :class:`ClientState` (:mod:`.state`): the facade's one private holder (language, last error, the
  backtest session, the live session) and the one choice ``backtest_toggle`` makes between them;
  ``mas.client.state_of(strategy)`` reaches it.
- :class:`Session` (:mod:`.base`): what both modes share; the backtest session lives in
  ``mas.backtest.session``, the live session in ``mas.live.session``.
- :class:`StrategyEvents` (:mod:`.strategy`): the only way a session talks to the strategy.
- :mod:`.events`: the bar, tick, order status and execution dicts, built one way for both modes.

Layers: this package imports only the terminal's value types, ``mas.params`` and ``mas.i18n``; the
simulated terminal's clock, the backtest and live rooms and the facade import it, never the reverse.
"""

from mas.sessions.base import Session
from mas.sessions.state import ClientState
from mas.sessions.strategy import StrategyEvents

__all__ = ["ClientState", "Session", "StrategyEvents"]
