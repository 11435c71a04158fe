"""The trade copier against real sim servers on 127.0.0.1: two brokers, a master trading like a user, followers
mirroring with a multiplier, reversed, under a broker suffix; kill -9 and restarts; a follower that rejects; a
damaged state file."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from fractions import Fraction
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mas.mt5 as mt5
from live.conftest import other_program, wait_until
from mas.data import symbol_file as sf
from mas.data.sample import sample_dir
from mas.data.store import dataset_path
from mas.live import copier as cp
from mas.live import copier_state as cs
from mas.live import journal as j
from mas.live.profiles import BrokerProfile, save_profile
from mas.live.simserver import ReplaySpec, SimExchange, SimServer
from mas.terminal import constants as c

SLOW = 600.0  # ten market minutes a second: prices move, stops are not hit while a test runs
SUFFIXED = "EURUSD.M"  # the second broker's name of EURUSD (the sim server quotes upper-case names)


# ---------------------------------------------------------------------- servers, profiles, the master
def _suffixed_bars() -> None:
    """The bundled EURUSD H1 bars stored as the second broker's EURUSD.M, so a server can quote it."""
    path = dataset_path(SUFFIXED, "H1")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(sample_dir() / "EURUSD_H1.parquet", path)


class Serve:
    """``mas sim serve`` in a subprocess on a free port of 127.0.0.1, quoting ``symbol``."""

    def __init__(self, symbol: str = "EURUSD") -> None:
        command = [sys.executable, "-m", "mas", "sim", "serve", "--port", "0", "--symbol", symbol, "--timeframe",
                   "H1", "--from", "2017-01-02", "--speed", str(SLOW), "--allow-new-accounts"]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=dict(os.environ))
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        if not wait_until(lambda: any("listening on" in x for x in self.lines) or self.proc.poll() is not None, 30):
            self.stop()
            raise RuntimeError("the sim server did not start:\n" + "".join(self.lines))
        first = next((x for x in self.lines if "listening on" in x), None)
        assert first is not None, "".join(self.lines)
        self.port = int(first.split("listening on ")[1].split(" ")[0].rsplit(":", 1)[1])

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture
def serve() -> Iterator:
    started: list[Serve] = []

    def start(symbol: str = "EURUSD") -> Serve:
        started.append(Serve(symbol))
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def in_process() -> Iterator:
    """Sim servers in this process (their accounts can be read directly)."""
    servers: list[SimServer] = []

    def start(symbol: str = "EURUSD") -> SimServer:
        spec = ReplaySpec(symbol=symbol, start=datetime(2017, 1, 2), speed=SLOW, allow_new_accounts=True)
        servers.append(SimServer(SimExchange(spec), port=0).start())
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def _profiles(monkeypatch, layout, **max_lots) -> None:
    """Broker profiles ``(name, port, login)``, their passwords in the environment."""
    for name, port, login in layout:
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=login, host="127.0.0.1",
                                   port=port, max_lots=max_lots.get(name, 0.0)))
        monkeypatch.setenv(f"MAS_PASSWORD_{name.upper()}", f"pw-{name}")


class Master:
    """The master's trader: a user script on the ``mas.mt5`` drop-in (``import MetaTrader5 as mt5``)."""

    def __init__(self, port: int, login: int = 1001, password: str = "pw-master") -> None:
        assert mt5.initialize(f"sim://127.0.0.1:{port}", login=login, password=password, server="MAS-Sim"), \
            mt5.last_error()

    @staticmethod
    def buy(volume: float, sl_points: int = 0, tp_points: int = 0) -> int:
        tick = mt5.symbol_info_tick("EURUSD")
        request = {"action": mt5.TRADE_ACTION_DEAL, "symbol": "EURUSD", "volume": volume, "type": mt5.ORDER_TYPE_BUY,
                   "price": tick.ask, "deviation": 20, "type_filling": mt5.ORDER_FILLING_FOK}
        if sl_points:
            request.update(sl=round(tick.ask - sl_points * 1e-5, 5), tp=round(tick.ask + tp_points * 1e-5, 5))
        result = mt5.order_send(request)
        assert result is not None and result.retcode == mt5.TRADE_RETCODE_DONE, (result, mt5.last_error())
        return int(result.order)  # the position's ticket (hedging)

    @staticmethod
    def close(position: int, volume: float) -> None:
        tick = mt5.symbol_info_tick("EURUSD")
        result = mt5.order_send({"action": mt5.TRADE_ACTION_DEAL, "symbol": "EURUSD", "volume": volume,
                                 "type": mt5.ORDER_TYPE_SELL, "position": position, "price": tick.bid,
                                 "deviation": 20, "type_filling": mt5.ORDER_FILLING_FOK})
        assert result is not None and result.retcode == mt5.TRADE_RETCODE_DONE, (result, mt5.last_error())

    @staticmethod
    def stops(position: int, sl: float, tp: float) -> None:
        result = mt5.order_send({"action": mt5.TRADE_ACTION_SLTP, "symbol": "EURUSD", "position": position,
                                 "sl": sl, "tp": tp})
        assert result is not None and result.retcode == mt5.TRADE_RETCODE_DONE, (result, mt5.last_error())

    @staticmethod
    def shutdown() -> None:
        mt5.shutdown()


def _book(port: int, login: int, password: str) -> list:
    """The positions of account ``login``, read like another program would (the broker's own names)."""
    term = other_program(port, login, password)
    try:
        return list(term.positions_get() or ())
    finally:
        term.shutdown()


def _deals(port: int, login: int, password: str) -> list:
    term = other_program(port, login, password)
    try:
        return [d for d in term.history_deals_get(0, 2**31) or () if d.type in (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL)]
    finally:
        term.shutdown()


# ---------------------------------------------------------------------- a copier process
class CopierProcess:
    """``mas copy start ...`` (or a script that patches the copier first) in a subprocess, its output collected."""

    def __init__(self, args: list[str], script: str | None = None) -> None:
        command = [sys.executable, "-c", script, *args] if script else [sys.executable, "-m", "mas", "copy", "start",
                                                                         *args]
        self.proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=dict(os.environ))
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def started(self) -> bool:
        return wait_until(lambda: "Ctrl-C stops" in self.output or self.proc.poll() is not None, 30) and \
            self.proc.poll() is None

    def said(self, text: str, count: int = 1) -> bool:
        return wait_until(lambda: self.output.count(text) >= count or self.proc.poll() is not None, 30) and \
            self.output.count(text) >= count

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=20)
        finally:
            self.kill()

    def exit_code(self) -> int:
        code = self.proc.wait(timeout=60)
        self.reader.join(timeout=5)
        return code

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def copiers() -> Iterator:
    started: list[CopierProcess] = []

    def start(args: list[str], script: str | None = None) -> CopierProcess:
        started.append(CopierProcess(args, script))
        return started[-1]

    yield start
    for proc in started:
        proc.kill()


def _run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mas", "copy", *args], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ))


# ---------------------------------------------------------------------- settings and arithmetic
def test_followers_and_symbol_map_are_read_and_bad_ones_named():
    specs = cp.parse_followers("alice, bob:0.5 ,carol:2:reverse")
    assert [(s.profile, s.multiplier, s.reverse) for s in specs] == [("alice", None, None), ("bob", 0.5, None),
                                                                     ("carol", 2.0, True)]
    assert cp.parse_symbol_map(["EURUSD=EURUSD.m", "bob:xauusd=GOLD"]) == {"*:EURUSD": "EURUSD.m",
                                                                          "bob:XAUUSD": "GOLD"}
    for bad, words in [("", "at least one"), ("a,a", "a listed twice"), ("a:zero", "multiplier"),
                       ("a:-1", "above 0")]:
        with pytest.raises(cp.CopierError, match=words):
            cp.parse_followers(bad)
    for bad in (["EURUSD"], ["=X"], [":EURUSD=X"], ["EURUSD="]):
        with pytest.raises(cp.CopierError, match="MASTER=FOLLOWER"):
            cp.parse_symbol_map(bad)
    with pytest.raises(cp.CopierError, match="cannot also be a follower"):
        cp.CopierSettings(master="a", followers=cp.parse_followers("a,b"))
    with pytest.raises(cp.CopierError, match="fixed-lots"):
        cp.CopierSettings(master="m", followers=cp.parse_followers("a"), sizing="fixed")
    with pytest.raises(cs.CopierStateError, match="copier name"):
        cp.CopierSettings(master="m", followers=cp.parse_followers("a"), name="../x")


@given(total_steps=st.integers(1, 10_000), share=st.fractions(0, 1), step=st.sampled_from([0.01, 0.1, 1.0, 0.05]))
def test_a_partial_close_is_whole_steps_never_more_than_open(total_steps, share, step):
    total = float(total_steps * Fraction(repr(step)))
    closed = cp._round_close(total, float(share), step)
    assert 0 <= closed <= total + 1e-12
    steps = closed / step
    assert abs(steps - round(steps)) < 1e-6  # whole volume steps
    assert abs(closed - total * float(share)) <= step / 2 + 1e-9  # the nearest step to the share


# ---------------------------------------------------------------------- end to end
def test_followers_on_two_brokers_mirror_open_stops_partial_and_full_close(serve, copiers, monkeypatch):
    _suffixed_bars()
    sf.set_suffix("fb", ".M")  # the second broker lists EURUSD as EURUSD.M (mas symbols suffix .M --profile fb)
    first, second = serve(), serve(SUFFIXED)
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", first.port, 1002), ("fb", second.port, 2001)])
    copier = copiers(["--master", "master", "--followers", "fa:2,fb:0.5:reverse", "--poll-ms", "50"])
    assert copier.started(), copier.output
    master = Master(first.port)
    try:
        ticket = master.buy(0.10, sl_points=800, tp_points=1200)
        assert wait_until(lambda: _book(first.port, 1002, "pw-fa") and _book(second.port, 2001, "pw-fb"), 30), \
            copier.output
        (a,), (b,) = _book(first.port, 1002, "pw-fa"), _book(second.port, 2001, "pw-fb")
        (m,) = mt5.positions_get()
        assert (a.symbol, a.type, a.volume, a.sl, a.tp) == ("EURUSD", c.POSITION_TYPE_BUY, 0.2, m.sl, m.tp)
        # reversed at half the size, under the second broker's name: SL and TP change places
        assert (b.symbol, b.type, b.volume, b.sl, b.tp) == (SUFFIXED, c.POSITION_TYPE_SELL, 0.05, m.tp, m.sl)
        # the master moves its stops: both copies follow
        sl, tp = round(m.sl + 0.001, 5), round(m.tp + 0.002, 5)
        master.stops(ticket, sl, tp)
        assert wait_until(lambda: [(p.sl, p.tp) for p in _book(first.port, 1002, "pw-fa")] == [(sl, tp)]
                          and [(p.sl, p.tp) for p in _book(second.port, 2001, "pw-fb")] == [(tp, sl)], 30), \
            copier.output
        # 40% of the master's position closed: 40% of each copy
        master.close(ticket, 0.04)
        assert wait_until(lambda: [p.volume for p in _book(first.port, 1002, "pw-fa")] == [0.12]
                          and [p.volume for p in _book(second.port, 2001, "pw-fb")] == [0.03], 30), copier.output
        status = _run_cli("status", "master")
        assert status.returncode == 0, status.stderr
        assert "copier master: running" in status.stdout and "fb (account 2001" in status.stdout
        assert f"master #{ticket} EURUSD buy 0.06 -> open buy EURUSD #" in status.stdout
        assert f"master #{ticket} EURUSD buy 0.06 -> open sell EURUSD #" in status.stdout
        master.close(ticket, 0.06)
        assert wait_until(lambda: not _book(first.port, 1002, "pw-fa") and not _book(second.port, 2001, "pw-fb"),
                          30), copier.output
        status = _run_cli("status", "master")
        assert status.returncode == 0 and status.stdout.count("0 open copies, 0 pending") == 2, status.stdout
        assert copier.stop() == 0, copier.output
        assert "stopped (the copies stay open)" in copier.output
        # each copy exactly once: fa opened, closed part, closed the rest (3 deals); so did fb
        assert len(_deals(first.port, 1002, "pw-fa")) == 3 and len(_deals(second.port, 2001, "pw-fb")) == 3
        assert "pw-" not in copier.output  # no password in the output
        state = json.loads((cs.copier_dir() / "master.json").read_text())
        assert state["followers"]["fb"]["actions"] == {} and state["followers"]["fb"]["mirrors"] == {}
        assert json.loads(_run_cli("status", "--json").stdout)["master"]["running"] is False
    finally:
        master.shutdown()


KILLED = """
import os, signal, sys
from mas.live import copier as cp

point = sys.argv[1]
send = cp.Copier._send_piece

def send_then_die(self, *args, **kwargs):
    if point == "before-send":
        os.kill(os.getpid(), signal.SIGKILL)  # the plan is written, nothing is sent yet
    out = send(self, *args, **kwargs)
    if point == "after-send":
        os.kill(os.getpid(), signal.SIGKILL)  # the follower's order is made, the state does not know yet
    return out

cp.Copier._send_piece = send_then_die
from mas.cli.main import app
app(["copy", "start", *sys.argv[2:]], prog_name="mas")
"""


def test_kill_9_between_the_masters_deal_and_the_copy_then_restart_copies_once(in_process, copiers, monkeypatch):
    first, second = in_process(), in_process()
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", second.port, 2001)])
    args = ["--master", "master", "--followers", "fa", "--multiplier", "3", "--poll-ms", "50"]
    follower = second.exchange.accounts

    def volumes() -> list[float]:
        return [float(p.volume) for p in follower[2001].terminal.positions_get() or ()] if 2001 in follower else []

    killed = copiers(["before-send", *args], KILLED)
    assert killed.started(), killed.output
    master = Master(first.port)
    try:
        ticket = master.buy(0.05)
        assert killed.exit_code() == -9, killed.output
        assert volumes() == []  # killed between the plan and the send
        planned = json.loads((cs.copier_dir() / "master.json").read_text())["followers"]["fa"]["actions"]
        assert [p["state"] for a in planned.values() for p in a["pieces"]] == ["planned"]
        killed = copiers(["after-send", *args], KILLED)
        assert killed.exit_code() == -9, killed.output
        assert volumes() == [0.15]  # sent once, then killed before the state knew
        again = copiers(args)
        assert again.said("opened buy 0.15 EURUSD"), again.output  # answered from the journal: no second order
        assert volumes() == [0.15]
        entries = [e for e in j.Journal().entries(2001) if e.client_order_id.startswith("copy:")]
        assert [(e.client_order_id, e.state) for e in entries] == [("copy:MAS-Sim:1001:d2@fa/0", j.DONE)]
        master.close(ticket, 0.05)
        assert wait_until(lambda: volumes() == [], 30), again.output
        assert again.stop() == 0, again.output
        restarted = copiers(args)  # nothing new on the master: nothing is sent again
        assert restarted.started(), restarted.output
        master.buy(0.01)
        assert wait_until(lambda: volumes() == [0.03], 30), restarted.output
        assert restarted.stop() == 0
        deals = follower[2001].terminal.history_deals_get(0, 2**31)
        assert [(d.entry, d.volume) for d in deals if d.type in (c.DEAL_TYPE_BUY, c.DEAL_TYPE_SELL)] == [
            (c.DEAL_ENTRY_IN, 0.15), (c.DEAL_ENTRY_OUT, 0.15), (c.DEAL_ENTRY_IN, 0.03)]
    finally:
        master.shutdown()


def test_kill_9_at_any_point_of_a_burst_then_restart_copies_each_once(in_process, copiers, monkeypatch):
    first, second = in_process(), in_process()
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", second.port, 2001)])
    args = ["--master", "master", "--followers", "fa:2", "--poll-ms", "20"]
    running = copiers(args)
    assert running.started(), running.output
    master = Master(first.port)
    try:
        for volume in (0.01, 0.02, 0.03):
            master.buy(volume)
        assert running.said("opened buy"), running.output
        running.proc.send_signal(signal.SIGKILL)  # wherever it is: planning, sending, writing its state
        assert running.exit_code() == -9
        for volume in (0.04, 0.05, 0.06):  # while the copier is down
            master.buy(volume)
        restarted = copiers(args)
        book = second.exchange.accounts

        def volumes() -> list[float]:
            return sorted(float(p.volume) for p in book[2001].terminal.positions_get() or ()) if 2001 in book else []

        assert wait_until(lambda: len(volumes()) >= 6, 30), restarted.output
        assert restarted.stop() == 0, restarted.output
        assert volumes() == [0.02, 0.04, 0.06, 0.08, 0.1, 0.12]
        copies = [e for e in j.Journal().entries(2001) if e.client_order_id.startswith("copy:")]
        assert len(copies) == 6 and all(e.state == j.DONE for e in copies)
        trades = [d for d in book[2001].terminal.history_deals_get(0, 2**31) if d.type in (c.DEAL_TYPE_BUY,
                                                                                   c.DEAL_TYPE_SELL)]
        assert len(trades) == 6
    finally:
        master.shutdown()


def _copier(settings: cp.CopierSettings, lines: list[str]) -> cp.Copier:
    copier = cp.open_copier(settings, lines.append)
    return copier


def test_a_follower_that_rejects_does_not_block_the_others(in_process, monkeypatch):
    first, second = in_process(), in_process()
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", first.port, 1002), ("guarded", second.port, 2001),
                            ("fc", second.port, 2002)], guarded=0.05)  # guarded's own risk guard: 0.05 lot an order
    lines: list[str] = []
    copier = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("fa,guarded,fc"),
                                       multiplier=2), lines)
    master = Master(first.port)
    try:
        ticket = master.buy(0.1)
        copier.poll()
        accounts = {**first.exchange.accounts, **second.exchange.accounts}

        def volumes(login: int) -> list[float]:
            return [float(p.volume) for p in accounts[login].terminal.positions_get() or ()] if login in accounts \
                else []

        assert volumes(1002) == [0.2] and volumes(2002) == [0.2] and volumes(2001) == []
        assert any("guarded: open buy 0.2 EURUSD rejected" in x and "max_lots" in x for x in lines), lines
        state = copier.state["followers"]
        assert state["guarded"]["mirrors"][str(ticket)]["state"] == "failed"
        assert "max_lots" in state["guarded"]["mirrors"][str(ticket)]["note"]
        master.close(ticket, 0.1)
        copier.poll()
        assert volumes(1002) == [] and volumes(2002) == [] and volumes(2001) == []
        assert all(not f["mirrors"] and not f["actions"] for f in copier.state["followers"].values())
    finally:
        copier.close()
        master.shutdown()


def test_catch_up_copies_what_the_master_opened_while_stopped_unless_turned_off(in_process, monkeypatch):
    first = in_process()
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", first.port, 1002), ("fb", first.port, 1003)])
    master = Master(first.port)
    book = first.exchange.accounts

    def volumes(login: int) -> list[float]:
        return sorted(float(p.volume) for p in book[login].terminal.positions_get() or ()) if login in book else []

    try:
        before = master.buy(0.02)  # held before the copier ever ran: not copied at the first start
        for name in ("fa", "fb"):
            copier = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers(name), name=name), [])
            copier.poll()
            copier.close()
        assert volumes(1002) == [] and volumes(1003) == []
        while_stopped = master.buy(0.03)
        gone = master.buy(0.04)
        master.close(gone, 0.04)  # opened and closed while the copier was stopped: never copied
        lines: list[str] = []
        fa = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("fa"), name="fa"), lines)
        fb = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("fb"), name="fb",
                                       catch_up=False), lines)
        fa.poll()
        fb.poll()
        assert volumes(1002) == [0.03]  # caught up
        assert volumes(1003) == []  # catch-up off
        assert any("catch-up is off" in x for x in lines) and any("closed on the master before" in x for x in lines)
        master.close(while_stopped, 0.03)
        fa.poll()
        fb.poll()
        assert volumes(1002) == [] and volumes(1003) == []
        fa.close()
        fb.close()
        # a new follower with copy_open copies what the master holds now
        fc = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("fa"), name="fc",
                                       copy_open=True), [])
        fc.poll()
        assert volumes(1002) == [0.02]
        master.close(before, 0.02)
        fc.poll()
        assert volumes(1002) == []
        fc.close()
    finally:
        master.shutdown()


def test_a_damaged_state_file_stops_the_start_and_is_left_as_it_was(in_process, monkeypatch):
    first = in_process()
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", first.port, 1002)])
    path = cs.state_path("master")
    path.parent.mkdir(parents=True, exist_ok=True)
    for damaged in (b'{"format": 1, "followers": {', b'{"format": 1, "master": {}, "followers": {"fa": {"cursor": '
                                                     b'"x", "mirrors": {}, "actions": {}}}}'):
        path.write_bytes(damaged)
        result = subprocess.run([sys.executable, "-m", "mas", "copy", "start", "--master", "master", "--followers",
                                 "fa"], capture_output=True, text=True, timeout=60, env=dict(os.environ))
        assert result.returncode == 1, result.stdout + result.stderr
        assert str(path) in result.stderr and "is damaged" in result.stderr and "left as it is" in result.stderr
        assert path.read_bytes() == damaged
        status = _run_cli("status", "master")
        assert status.returncode == 1 and "is damaged" in status.stderr
    assert first.exchange.accounts.get(1002) is None or not first.exchange.accounts[1002].terminal.positions_get()


def test_one_copier_per_name_and_bad_options_are_named(in_process, copiers, monkeypatch):
    first = in_process()
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", first.port, 1002)])
    running = copiers(["--master", "master", "--followers", "fa"])
    assert running.started(), running.output
    second = _run_cli("start", "--master", "master", "--followers", "fa")
    assert second.returncode == 1 and "runs already" in second.stderr
    assert running.stop() == 0
    bad = _run_cli("start", "--master", "master", "--followers", "fa", "--sizing", "kelly")
    assert bad.returncode == 2 and "sizing 'kelly' is unknown" in bad.stderr
    unknown = _run_cli("start", "--master", "master", "--followers", "nobody")
    assert unknown.returncode == 1 and "no broker profile nobody" in unknown.stderr
    nothing = _run_cli("status", "other")
    assert nothing.returncode == 1 and "no copier named 'other'" in nothing.stderr


def test_the_symbol_map_names_the_followers_symbol(in_process, monkeypatch):
    _suffixed_bars()
    sf.set_suffix("elsewhere", ".M")  # another profile's suffix: the server knows EURUSD.M; fx has no suffix
    first, second = in_process(), in_process(SUFFIXED)
    _profiles(monkeypatch, [("master", first.port, 1001), ("fx", second.port, 2001)])
    lines: list[str] = []
    plain = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("fx"), name="plain"), lines)
    mapped = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("fx"), name="mapped",
                                       symbol_map=cp.parse_symbol_map(["fx:EURUSD=eurusd.m"])), lines)
    master = Master(first.port)
    try:
        master.buy(0.01)
        plain.poll()
        assert any("EURUSD is not offered" in x and "--map EURUSD=NAME" in x for x in lines), lines
        mapped.poll()  # eurusd.m is found as the server's EURUSD.M
        positions = second.exchange.accounts[2001].terminal.positions_get()
        assert [(p.symbol, p.volume) for p in positions] == [(SUFFIXED, 0.01)]
    finally:
        plain.close()
        mapped.close()
        master.shutdown()


class NettingMaster:
    """A netting master account, as its terminal reports it: deals in order and the one position per symbol."""

    account, server = 7001, "Netting-Broker"

    def __init__(self) -> None:
        self.deals: list[SimpleNamespace] = []
        self.position: SimpleNamespace | None = None

    def trade(self, side: int, volume: float, entry: int) -> None:
        """A deal on the EURUSD position (identifier 70): ``entry`` as the broker reports it."""
        ticket = len(self.deals) + 100
        self.deals.append(SimpleNamespace(ticket=ticket, time=1483318800 + ticket, type=side, entry=entry,
                                          position_id=70, volume=volume, symbol="EURUSD"))
        held = self.position
        signed = (volume if side == c.DEAL_TYPE_BUY else -volume) + (
            0.0 if held is None else held.volume * (1 if held.type == c.POSITION_TYPE_BUY else -1))
        signed = round(signed, 8)
        self.position = None if signed == 0 else SimpleNamespace(
            ticket=70, identifier=70, symbol="EURUSD", volume=abs(signed), sl=0.0, tp=0.0,
            type=c.POSITION_TYPE_BUY if signed > 0 else c.POSITION_TYPE_SELL)

    def history_deals_get(self, date_from, date_to):
        return tuple(self.deals)

    def positions_get(self):
        return () if self.position is None else (self.position,)

    def account_info(self):
        return SimpleNamespace(equity=10_000.0)

    def last_error(self):
        return (1, "Success")

    def shutdown(self):
        pass


def test_a_netting_masters_increase_partial_close_and_reversal(in_process, monkeypatch):
    server = in_process()
    _profiles(monkeypatch, [("fa", server.port, 2001)])
    master = NettingMaster()
    settings = cp.CopierSettings(master="netting", followers=cp.parse_followers("fa"))
    copier = cp.Copier(settings, master, {"fa": cp.connect_profile("fa")}, echo=lambda line: None)  # type: ignore
    copier.start()
    book = server.exchange.accounts

    def held() -> list[tuple[int, float]]:
        return sorted((int(p.type), float(p.volume)) for p in book[2001].terminal.positions_get() or ())

    try:
        master.trade(c.DEAL_TYPE_BUY, 0.10, c.DEAL_ENTRY_IN)
        master.trade(c.DEAL_TYPE_BUY, 0.05, c.DEAL_ENTRY_IN)  # the netting position grows to 0.15
        copier.poll()
        assert held() == [(c.POSITION_TYPE_BUY, 0.05), (c.POSITION_TYPE_BUY, 0.10)]  # a hedging follower: two
        master.trade(c.DEAL_TYPE_SELL, 0.05, c.DEAL_ENTRY_OUT)  # a third of it closed
        copier.poll()
        assert sum(v for _, v in held()) == pytest.approx(0.10)
        master.trade(c.DEAL_TYPE_SELL, 0.30, c.DEAL_ENTRY_INOUT)  # reversed: short 0.20
        copier.poll()
        assert held() == [(c.POSITION_TYPE_SELL, 0.20)]
        master.trade(c.DEAL_TYPE_BUY, 0.20, c.DEAL_ENTRY_OUT)
        copier.poll()
        assert held() == []
        copier.poll()  # nothing new: nothing sent
        trades = [d for d in book[2001].terminal.history_deals_get(0, 2**31) if d.type in (c.DEAL_TYPE_BUY,
                                                                                           c.DEAL_TYPE_SELL)]
        assert len(trades) == 2 + 1 + 2 + 1 + 1  # opens, the partial close, close + reversed open, the close
        assert copier.state["followers"]["fa"]["mirrors"] == {}
    finally:
        copier.close()


def test_a_follower_that_cannot_log_in_is_waited_for_and_catches_up(in_process, monkeypatch):
    first = in_process()
    with socket.socket() as probe:  # a port where nothing listens yet
        probe.bind(("127.0.0.1", 0))
        later_port = probe.getsockname()[1]
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", first.port, 1002), ("late", later_port, 3001)])
    lines: list[str] = []
    copier = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("late,fa"), login_retry_s=0),
                     lines)
    master = Master(first.port)
    try:
        assert any("late: cannot log in" in x and "pw-" not in x for x in lines), lines
        ticket = master.buy(0.02)
        copier.poll()
        assert [p.volume for p in first.exchange.accounts[1002].terminal.positions_get()] == [0.02]
        spec = ReplaySpec(symbol="EURUSD", start=datetime(2017, 1, 2), speed=SLOW, allow_new_accounts=True)
        late = SimServer(SimExchange(spec), port=later_port).start()
        try:
            copier.poll()  # logs in, then copies what it missed, in order
            assert [p.volume for p in late.exchange.accounts[3001].terminal.positions_get()] == [0.02]
            master.close(ticket, 0.02)
            copier.poll()
            assert not late.exchange.accounts[3001].terminal.positions_get()
            assert not first.exchange.accounts[1002].terminal.positions_get()
        finally:
            copier.close()
            late.stop()
    finally:
        master.shutdown()


def test_equity_sizing_compares_the_equities_in_one_currency(monkeypatch):
    """A USD master of 10,000 and a EUR follower of 50,000 EUR: the follower is worth 50,000 x EURUSD dollars, so
    equity sizing copies 0.1 lot as 0.1 x 5 x EURUSD (about 0.52 lot in January 2017), not 0.5 (the bare numbers);
    the same follower in USD gets 0.5."""
    from mas.live.simserver.access import AccountSeed
    from mas.live.simserver.passwords import hash_password

    def seed(login: int, currency: str) -> AccountSeed:
        salt, digest = hash_password(f"pw-f{login}")
        return AccountSeed(login, salt, digest, balance=50_000.0, currency=currency)

    spec = ReplaySpec(start=datetime(2017, 1, 2), speed=SLOW, allow_new_accounts=True)
    server = SimServer(SimExchange(spec, accounts={2001: seed(2001, "EUR"), 2002: seed(2002, "USD")}), port=0).start()
    for name, login in (("feur", 2001), ("fusd", 2002)):
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=login, host="127.0.0.1",
                                   port=server.port))
        monkeypatch.setenv(f"MAS_PASSWORD_{name.upper()}", f"pw-f{login}")
    _profiles(monkeypatch, [("master", server.port, 1001)])
    lines: list[str] = []
    copier = _copier(cp.CopierSettings(master="master", followers=cp.parse_followers("feur,fusd"), sizing="equity"),
                     lines)
    master = Master(server.port)
    try:
        master.buy(0.1)
        master_equity = float(mt5.account_info().equity)
        rate = float(mt5.symbol_info_tick("EURUSD").bid)  # USD per EUR: the EUR follower's tick value is 1 / rate
        copier.poll()
        accounts = server.exchange.accounts
        (eur,) = accounts[2001].terminal.positions_get()
        (usd,) = accounts[2002].terminal.positions_get()
        assert usd.volume == pytest.approx(int(0.1 * 50_000 / master_equity / 0.01 + 1e-9) * 0.01)
        assert eur.volume == pytest.approx(int(0.1 * 50_000 * rate / master_equity / 0.01 + 1e-9) * 0.01)
        assert eur.volume > usd.volume == pytest.approx(0.5)
    finally:
        copier.close()
        master.shutdown()
        server.stop()
