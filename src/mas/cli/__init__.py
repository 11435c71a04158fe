"""The ``mas`` command, one module per command group (the work is done by :mod:`mas.app`):

- :mod:`~mas.cli.main`: the root group, ``--version`` and the registration of every command;
- :mod:`~mas.cli.backtest` (``demo``, ``backtest``), :mod:`~mas.cli.report`, :mod:`~mas.cli.optimize`,
  :mod:`~mas.cli.live`, :mod:`~mas.cli.data`, :mod:`~mas.cli.strategy`, :mod:`~mas.cli.sim`,
  :mod:`~mas.cli.broker`, :mod:`~mas.cli.mt5`; ``ui`` is the web app's (:mod:`mas.web.cli`);
- :mod:`~mas.cli.options` (the options commands share), :mod:`~mas.cli.errors` (how errors are shown),
  :mod:`~mas.cli.help` (readable ``--help``).

Nothing outside this package imports it, except to drive the command (``from mas.cli import app``).
"""

from __future__ import annotations

from mas.cli.main import app, main

__all__ = ["app", "main"]
