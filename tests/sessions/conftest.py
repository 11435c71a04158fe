"""Sessions tests: an isolated MAS_HOME, and a sim server on 127.0.0.1 for the live side."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from live.conftest import wait_until  # noqa: F401 - the sessions tests import it from here
from mas.live.simserver import ReplaySpec, SimExchange, SimServer


@pytest.fixture
def sim_server() -> Iterator[SimServer]:
    """A sim server replaying EURUSD H1 from 2017-01-02, 20 bars a second, in this process."""
    exchange = SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=3600 * 20, capital=10_000.0,
                                      allow_new_accounts=True), None)
    server = SimServer(exchange, port=0).start()
    yield server
    server.stop()


def sim_login(port: int) -> dict:
    return {"account": 1001, "password": "demo-pass", "server": "MAS-Sim", "terminal": f"sim://127.0.0.1:{port}",
            "timeout": 3000}

