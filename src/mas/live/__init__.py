"""Live trading: MetaTrader 5 terminals behind the one seam, and everything around them.

- :mod:`.session`: the live session (``LiveSession``), one strategy's terminal, feeds, deal poller and
  callback lock; the facade reaches it through ``mas.client.state_of(strategy).live``.
- :mod:`.connect` picks and opens a terminal (``mt5``, ``mt5linux://host:port``, ``sim://host:port``);
  :mod:`.terminal` keeps it connected (reconnect with backoff); :mod:`.sim_client` and
  :mod:`.mt5linux_terminal` are the two bridges, :mod:`.wire` their shared value format.
- :mod:`.orders` sends requests through the :mod:`.journal` (idempotent by ``client_order_id``),
  after the profile's risk guards (:mod:`.guards`) let them pass.
- :mod:`.feeds` (bars, ticks) and :mod:`.fills` (deals, unfilled ended orders) poll in background
  threads, one callback at a time (:mod:`.dispatch`).
- :mod:`.profiles`: broker profiles and password sources; :mod:`.cli`: ``mas sim``, ``mas broker`` and
  ``mas live`` (:mod:`.runner`).
- :mod:`.simserver`: the simulated MT5 server; :mod:`.history`: live history as a report source.
"""
