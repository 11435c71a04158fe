"""Live tests: a real sim server on 127.0.0.1 (in a thread or a subprocess), isolated MAS_HOME."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from mas.live.simserver import ReplaySpec, SimExchange, SimServer

START = datetime(2017, 1, 2)
FAST = 3600 * 20  # 20 H1 bars a second



def wait_until(predicate: Callable[[], object], timeout: float = 8.0, step: float = 0.02) -> bool:
    """Poll ``predicate`` until it is truthy or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())


@pytest.fixture
def start_server() -> Iterator[Callable[..., SimServer]]:
    """Start sim servers in this process (stopped at the end of the test)."""
    servers: list[SimServer] = []

    def start(speed: float = FAST, state: Path | None = None, port: int = 0, start: datetime = START,
              capital: float = 10_000.0) -> SimServer:
        exchange = SimExchange(ReplaySpec(start=start, speed=speed, capital=capital, allow_new_accounts=True), state)
        server = SimServer(exchange, port=port).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def server_command(port: int, state: Path | None, speed: float = FAST) -> list[str]:
    args = ["serve", "--port", str(port), "--symbol", "EURUSD", "--timeframe", "H1", "--from", "2017-01-02",
            "--speed", str(speed), "--allow-new-accounts"]
    if state is not None:
        args += ["--state", str(state)]
    return [sys.executable, "-c", f"from mas.cli.sim import sim_app; sim_app({args!r})"]


class ServerProcess:
    """``mas sim serve`` in a subprocess; :attr:`port` is read from its first output line."""

    def __init__(self, port: int = 0, state: Path | None = None, speed: float = FAST) -> None:
        self.proc = subprocess.Popen(server_command(port, state, speed), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, env=dict(os.environ))
        self.lines: list[str] = []
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(20):
            self.kill()
            raise RuntimeError("the sim server did not start:\n" + "".join(self.lines))
        first = next(line for line in self.lines if "listening on" in line)
        self.port = int(first.split("listening on ")[1].split(" ")[0].rsplit(":", 1)[1])

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            if "listening on" in line:
                self._ready.set()
        self._ready.set()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)

    def terminate(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def server_process() -> Iterator[Callable[..., ServerProcess]]:
    procs: list[ServerProcess] = []

    def start(port: int = 0, state: Path | None = None, speed: float = FAST) -> ServerProcess:
        proc = ServerProcess(port, state, speed)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        proc.kill()


def sim_login(server_port: int, account: int = 1001, password: str = "demo-pass", **extra) -> dict:
    return {"account": account, "password": password, "server": "MAS-Sim",
            "terminal": f"sim://127.0.0.1:{server_port}", "timeout": 3000, **extra}


def poll_more(client, times: int = 3) -> list[int]:
    """Run the client's fill poller ``times`` more times now (in this thread); how many deals and ended
    orders it pushed each time."""
    from mas.client import state_of

    poller = state_of(client).live.deal_poller
    return [poller.poll() + poller.poll_ended_orders() for _ in range(times)]


def other_program(port: int, login: int = 1001, password: str = "demo-pass"):
    """Another program on the same account (a phone, the MT5 terminal)."""
    from mas.live.sim_client import SimTerminalClient

    term = SimTerminalClient("127.0.0.1", port)
    assert term.initialize(login=login, password=password, server="MAS-Sim")
    return term


def run_until_stopped(command: list[str], ready: Callable[[list[str]], None], password: str,
                      stop_signal: int = 2) -> str:
    """Run ``command`` (``mas live ...``) with the paper profile's password, call ``ready(lines)`` (it waits
    for what the test needs, asserting as it goes), then send ``stop_signal`` (SIGINT) and expect exit 0;
    the whole output. The process is killed if anything fails on the way."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=dict(os.environ, MAS_PASSWORD_PAPER=password))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True)
    reader.start()
    try:
        ready(lines)
        proc.send_signal(stop_signal)
        assert proc.wait(timeout=20) == 0, "".join(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    reader.join(timeout=5)
    return "".join(lines)

