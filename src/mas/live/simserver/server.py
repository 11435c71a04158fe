"""Running the sim server: the RPyC listener plus the replay thread.

Every connection passes :class:`~mas.live.simserver.access.ConnectionGate` first: connections
beyond the caps are closed at once, and with TLS on, the TLS handshake happens before any RPyC
message is read (a plain client is dropped without a byte of its requests being used).
"""

from __future__ import annotations

import logging
import threading

from mas.live.simserver.access import ConnectionGate
from mas.live.simserver.exchange import SimExchange, run_replay
from mas.live.simserver.service import SERVER_CONFIG, SimTerminalService

log = logging.getLogger("mas.sim.server")
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class SimServer:
    """Serves ``exchange`` on ``host:port`` (port 0 = any free port; see :attr:`port`)."""

    def __init__(self, exchange: SimExchange, host: str = "127.0.0.1", port: int = 0,
                 gate: ConnectionGate | None = None) -> None:
        from rpyc.utils.helpers import classpartial
        from rpyc.utils.server import ThreadedServer

        self.exchange = exchange
        self.gate = gate if gate is not None else ConnectionGate()
        self._stop = threading.Event()
        self._server = ThreadedServer(
            classpartial(SimTerminalService, exchange), hostname=host, port=port, registrar=None,
            auto_register=False, protocol_config=dict(SERVER_CONFIG), listener_timeout=0.2,
            logger=logging.getLogger("mas.sim.server.rpyc"), authenticator=self.gate,
        )
        self.host = host
        self.port = int(self._server.port)
        self._threads: list[threading.Thread] = []

    @property
    def address(self) -> str:
        """``host:port`` the server listens on."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """``sim://host:port``, or ``sims://host:port`` with TLS."""
        return f"{'sims' if self.gate.tls is not None else 'sim'}://{self.host}:{self.port}"

    def start(self) -> SimServer:
        """Serve and replay in background threads; returns self once connections are accepted."""
        self._server.listener.listen(128)  # accept connections now, before the listener thread runs
        self._threads = [
            threading.Thread(target=run_replay, args=(self.exchange, self._stop), name="mas-sim-replay", daemon=True),
            threading.Thread(target=self._server.start, name="mas-sim-listener", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until :meth:`stop` (True) or ``timeout`` seconds (False)."""
        return self._stop.wait(timeout)

    def request_stop(self) -> None:
        """Ask :meth:`wait` to return (safe from a signal handler)."""
        self._stop.set()

    def stop(self) -> None:
        """Close every connection, stop the replay and close the state file."""
        self._stop.set()
        self._server.close()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)
        with self.exchange.lock:
            self.exchange.close()

    def __enter__(self) -> SimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
