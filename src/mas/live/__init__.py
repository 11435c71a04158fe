"""Live trading: MetaTrader 5 terminals behind the one seam, and everything around them.

- :mod:`.connect` picks and opens a terminal (``mt5``, ``mt5linux://host:port``, ``sim://host:port``);
  :mod:`.session` keeps it connected (reconnect with backoff); :mod:`.sim_client` and
  :mod:`.mt5linux_terminal` are the two bridges, :mod:`.wire` their shared value format.
- :mod:`.orders` sends requests through the :mod:`.journal` (idempotent by ``client_order_id``).
- :mod:`.feeds` (bars, ticks) and :mod:`.fills` (deals) poll in background threads, one callback at
  a time (:mod:`.dispatch`).
- :mod:`.profiles`: broker profiles and password sources; :mod:`.cli`: ``mas sim`` and ``mas broker``.
- :mod:`.simserver`: the simulated MT5 server; :mod:`.history`: live history as a report source.
"""
