"""Helpers of the group tests that run against `mas sim serve` processes: profiles, a recording client, reads."""

from __future__ import annotations

from live.conftest import other_program
from mas import MAS
from mas.live.profiles import BrokerProfile, save_profile

STILL = 1.0
"""Server speed: one replayed second a second, so the H1 quotes stay still while a test runs."""


class Recorder(MAS):
    """A client that keeps every order status and fill it is told about."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[tuple[str, dict]] = []
        self.fills: list[tuple[str, dict]] = []

    def receive_order_status(self, order_id, status_data):
        self.statuses.append((order_id, status_data))

    def receive_order_execution(self, order_id, execution_data):
        self.fills.append((order_id, execution_data))

    def summary_of(self, order_id: str) -> list[dict]:
        """The group statuses (those listing children) pushed under ``order_id``."""
        return [s for oid, s in self.statuses if oid == order_id and "children" in s]


def add_members(monkeypatch, layout) -> None:
    """Sim broker profiles ``(name, port, login)``, each with its password in the environment."""
    for name, port, login in layout:
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=login, host="127.0.0.1",
                                   port=port))
        monkeypatch.setenv(f"MAS_PASSWORD_{name.upper()}", f"pw-{name}")


class Reader:
    """Another program on each member's account (as a phone or the MT5 terminal would be), to check the truth."""

    def __init__(self, layout) -> None:
        self.terminals = {name: other_program(port, login, f"pw-{name}") for name, port, login in layout}

    def positions(self, name: str) -> list:
        return list(self.terminals[name].positions_get() or ())

    def volumes(self, name: str) -> list[float]:
        return sorted(round(float(pos.volume), 2) for pos in self.positions(name))

    def orders(self, name: str) -> list:
        return list(self.terminals[name].orders_get() or ())

    def deals(self, name: str) -> list:
        return list(self.terminals[name].history_deals_get(0, 2**31) or ())

    def close(self) -> None:
        for terminal in self.terminals.values():
            terminal.shutdown()
