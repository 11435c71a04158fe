"""The sim server against hostile or careless clients, and serving history like a broker.

Servers run in this process on 127.0.0.1 with a hand-moved market clock (nothing here waits for
the replay): logins that must change nothing, one account's failed save, the operator's accounts
file, failed-login limits, connection caps, TLS, file modes, history before ``--from``, the
forming bar, unquoted symbols and ``last_error``.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
import rpyc
from typer.testing import CliRunner

from mas.cli.sim import sim_app
from mas.data.store import load_bars
from mas.live.sim_client import SimTerminalClient, TerminalDisconnected, parse_sim_url
from mas.live.simserver import ReplaySpec, SimExchange, SimServer
from mas.live.simserver.access import (
    MAX_LOGIN,
    AccountSeed,
    ConnectionGate,
    LoginLimiter,
    load_accounts_file,
    server_tls_context,
)
from mas.live.simserver.passwords import format_hash, hash_password
from mas.sim.market import prepare_rates
from mas.terminal import constants as c

from .conftest import wait_until

OK = (c.RES_S_OK, "Success")
BAD_LOGIN = (c.RES_E_INVALID_PARAMS, f"Invalid login: account numbers run from 1 to {MAX_LOGIN}")
REFUSED = (c.RES_E_AUTH_FAILED, "Authorization failed")
H1 = 3600


class Clock:
    """A market clock moved by hand (real seconds; the replay runs at ``speed`` market seconds per second)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=timezone.utc).timestamp())


def exchange(start: datetime = datetime(2017, 3, 1), state: Path | None = None, clock: Clock | None = None,
             allow_new: bool = True, seeds: dict[int, AccountSeed] | None = None,
             limiter: LoginLimiter | None = None) -> SimExchange:
    return SimExchange(ReplaySpec(start=start, speed=H1, allow_new_accounts=allow_new), state,
                       clock=clock or Clock(), accounts=seeds, limiter=limiter)


class Servers:
    """Servers started by a test or module, all stopped at its end."""

    def __init__(self) -> None:
        self.started: list[SimServer] = []

    def start(self, ex: SimExchange, gate: ConnectionGate | None = None) -> SimServer:
        server = SimServer(ex, gate=gate).start()
        self.started.append(server)
        return server

    def stop(self) -> None:
        for server in self.started:
            server.stop()


@pytest.fixture(scope="module")
def module_home(tmp_path_factory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("mas_home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(home))
        yield home


@pytest.fixture(scope="module")
def open_server(module_home) -> Iterator[SimServer]:
    """One paper-trading server (any login creates an account) whose clock only moves by hand."""
    servers = Servers()
    yield servers.start(exchange(clock=Clock()))
    servers.stop()


@pytest.fixture
def servers() -> Iterator[Servers]:
    started = Servers()
    yield started
    started.stop()


def client(server: SimServer, **kwargs) -> SimTerminalClient:
    return SimTerminalClient("127.0.0.1", server.port, **kwargs)


def seed(login: int, password: str, **kwargs) -> AccountSeed:
    salt, digest = hash_password(password)
    return AccountSeed(login, salt, digest, **kwargs)


def stored_bars(ex: SimExchange, timeframe: str) -> np.ndarray:
    """The stored bars as the server prices them: bid side, with the data's spread."""
    return prepare_rates(load_bars("EURUSD", timeframe), ex.tape.spec, None)[0]


def buy(term: SimTerminalClient, volume: float = 0.1, **extra):
    tick = term.symbol_info_tick("EURUSD")
    return term.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY,
                            "volume": volume, "price": tick.ask, "type_filling": c.ORDER_FILLING_FOK, **extra})


# ---------------------------------------------------------------------------------------------- hostile logins
@pytest.mark.parametrize(("login", "password", "error"), [
    (2**64, "pw", BAD_LOGIN),
    (MAX_LOGIN + 1, "pw", BAD_LOGIN),
    (-5, "pw", BAD_LOGIN),
    (0, "pw", BAD_LOGIN),
    ("123", "pw", (c.RES_E_INVALID_PARAMS, "Invalid login: the account number must be a whole number, not str")),
    (True, "pw", (c.RES_E_INVALID_PARAMS, "Invalid login: the account number must be a whole number, not bool")),
    (1.5, "pw", (c.RES_E_INVALID_PARAMS, "Invalid login: the account number must be a whole number, not float")),
    (42, "x" * 1_000_000, (c.RES_E_INVALID_PARAMS, "Invalid password: at most 128 characters")),
    (42, "", (c.RES_E_INVALID_PARAMS, "Invalid password: it is empty")),
    (42, 12345, (c.RES_E_INVALID_PARAMS, "Invalid password: it must be text")),
])
def test_hostile_logins_are_refused_before_anything_changes(open_server, login, password, error):
    ex = open_server.exchange
    before = set(ex.accounts)
    term = client(open_server)
    assert term.initialize() is True
    assert term.login(login, password=password, server="MAS-Sim") is False
    assert term.last_error() == error
    assert term.initialize(login=login, password=password, server="MAS-Sim") is False
    assert term.last_error() == error
    assert term.account_info() is None and term.last_error()[0] == c.RES_E_AUTH_FAILED
    assert set(ex.accounts) == before
    term.close()


def test_after_hostile_logins_every_account_is_still_saved(servers, tmp_path):
    """Login 2**64 once made every later save of every account fail; now it is refused and saves go on."""
    clock, state = Clock(), tmp_path / "state.sqlite"
    ex = exchange(state=state, clock=clock)
    server = servers.start(ex)
    hostile = client(server)
    for login in (2**64, -1, 2**63):
        assert hostile.initialize(login=login, password="pw") is False
    term = client(server)
    assert term.initialize(login=11, password="pw11") is True
    assert buy(term).retcode == c.TRADE_RETCODE_DONE
    clock.now += 5  # five H1 bars
    assert ex.catch_up() == 5
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT login, bar_time FROM accounts").fetchall() == [(11, int(ex.tape.times[ex.cursor]))]
        assert db.execute("SELECT value FROM meta WHERE key = 'last_bar_time'").fetchone()[0] == \
            str(int(ex.tape.times[ex.cursor]))
    term.close()
    hostile.close()


def test_one_accounts_failed_save_does_not_stop_the_others_nor_settle_twice(servers, tmp_path, monkeypatch):
    clock, state = Clock(), tmp_path / "state.sqlite"
    ex = exchange(state=state, clock=clock)
    server = servers.start(ex)
    a, b = client(server), client(server)
    assert a.initialize(login=21, password="pw-a") and b.initialize(login=22, password="pw-b")
    assert buy(a).retcode == c.TRADE_RETCODE_DONE
    # b's stop loss is hit within the next bars of the stored data (found here, not guessed)
    bid = b.symbol_info_tick("EURUSD").bid
    lows = np.asarray(ex.tape.rates["low"][ex.cursor + 1: ex.cursor + 11])
    sl = round(float(lows.min()) + 0.00002, 5)
    assert sl < bid - 0.0002, "the data must fall below the stop within ten bars"
    assert buy(b, sl=sl).retcode == c.TRADE_RETCODE_DONE

    real_save = ex.store.save_accounts

    def failing_for_21(records, meta=None):
        if any(r.login == 21 for r in records):
            raise sqlite3.OperationalError("disk I/O error (test)")
        return real_save(records, meta)

    monkeypatch.setattr(ex.store, "save_accounts", failing_for_21)
    clock.now += 10
    assert ex.catch_up() == 10
    assert ex.accounts[22].terminal.positions == {}  # b's stop was hit and settled...
    b_deals = b.history_deals_get(0, 4102444800)
    assert [d.reason for d in b_deals[1:]] == [c.DEAL_REASON_EXPERT, c.DEAL_REASON_SL]
    with sqlite3.connect(state) as db:  # ...and saved, while account 21's save failed
        saved = dict(db.execute("SELECT login, bar_time FROM accounts").fetchall())
        assert db.execute("SELECT count(*) FROM deals WHERE login = 22").fetchone()[0] == len(b_deals)
    now_bar = int(ex.tape.times[ex.cursor])
    assert saved[22] == now_bar and saved[21] < now_bar
    a_positions = [p.ticket for p in a.positions_get()]
    a.close()
    b.close()
    server.stop()
    monkeypatch.undo()

    again = exchange(state=state, clock=Clock())  # a restart: 21 is settled up to the replay, 22 is not settled again
    assert again.cursor == ex.cursor
    assert list(again.accounts[22].terminal.deals) == list(ex.accounts[22].terminal.deals)
    assert len(again.accounts[22].terminal.deals) == 3  # deposit, buy, stop loss: once each
    assert [p for p in again.accounts[21].terminal.positions] == a_positions
    with sqlite3.connect(state) as db:  # the lagging account was saved at the replay's bar on start
        assert dict(db.execute("SELECT login, bar_time FROM accounts").fetchall())[21] == now_bar
    again.close()


# ---------------------------------------------------------------------------------------------- who may log in
def test_without_accounts_file_or_allow_new_accounts_the_server_refuses_to_start(module_home, tmp_path):
    result = CliRunner().invoke(sim_app, ["serve", "--port", "0", "--from", "2017-03-01"])
    assert result.exit_code == 2
    assert "no account can log in: give --accounts FILE" in result.output
    assert "--allow-new-accounts" in result.output
    bad = tmp_path / "accounts.toml"
    bad.write_text('[[account]]\nlogin = 5\npassword_hash = "plain-text"\n')
    result = CliRunner().invoke(sim_app, ["serve", "--port", "0", "--from", "2017-03-01", "--accounts", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: account 1 (login 5): password_hash: expected 'scrypt$<salt hex>$<digest hex>'" in result.output


def test_accounts_file_formats_and_mistakes(tmp_path):
    digest = format_hash(*hash_password("s3cret"))
    toml = tmp_path / "a.toml"
    toml.write_text(f'[[account]]\nlogin = 7\npassword_hash = "{digest}"\nbalance = 2500\ncurrency = "eur"\n'
                    f'leverage = 50\n\n[[account]]\nlogin = 8\npassword_hash = "{digest}"\n')
    seeds = load_accounts_file(toml)
    assert sorted(seeds) == [7, 8]
    assert (seeds[7].balance, seeds[7].currency, seeds[7].leverage) == (2500.0, "EUR", 50)
    assert (seeds[8].balance, seeds[8].currency, seeds[8].leverage) == (10_000.0, "USD", 100)
    js = tmp_path / "a.json"
    js.write_text(f'[{{"login": 9, "password_hash": "{digest}"}}]')
    assert list(load_accounts_file(js)) == [9]
    for text, message in [
        (f'[[account]]\nlogin = {2**63}\npassword_hash = "{digest}"\n', "Invalid login: account numbers run from 1"),
        (f'[[account]]\nlogin = 7\npassword_hash = "{digest}"\n[[account]]\nlogin = 7\npassword_hash = "{digest}"\n',
         "account 2: login 7 is listed twice"),
        (f'[[account]]\nlogin = 7\npassword_hash = "{digest}"\nleverage = 0\n', "leverage must be a whole number"),
        (f'[[account]]\nlogin = 7\npassword_hash = "{digest}"\npassword = "x"\n', "unknown key(s) password"),
        ("title = 'x'\n", "lists no accounts"),
    ]:
        toml.write_text(text)
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            load_accounts_file(toml)


def test_only_listed_accounts_log_in_with_their_settings(servers, tmp_path):
    state = tmp_path / "state.sqlite"
    seeds = {7: seed(7, "s3cret", balance=2500.0, currency="EUR", leverage=50)}
    ex = exchange(state=state, allow_new=False, seeds=seeds)
    server = servers.start(ex)
    term = client(server)
    assert term.initialize(login=8, password="anything") is False and term.last_error() == REFUSED
    assert term.initialize(login=7, password="wrong") is False and term.last_error() == REFUSED
    assert set(ex.accounts) == set()
    assert term.initialize(login=7, password="s3cret") is True and term.last_error() == OK
    info = term.account_info()
    assert (info.login, info.balance, info.currency, info.leverage) == (7, 2500.0, "EUR", 50)
    assert set(ex.accounts) == {7}
    term.close()
    server.stop()
    again = exchange(state=state, allow_new=False)  # the state file keeps the account and its settings
    info = again.accounts[7].terminal.account_info()
    assert (info.balance, info.currency, info.leverage) == (2500.0, "EUR", 50)
    again.close()


# ---------------------------------------------------------------------------------------------- brute force and caps
def test_failed_logins_are_rate_limited_per_account_and_per_peer(servers):
    clock = Clock()
    limiter = LoginLimiter(max_failures=3, window_s=300, peer_failures=6, clock=clock)
    ex = exchange(allow_new=False, seeds={7: seed(7, "right"), 8: seed(8, "other")}, limiter=limiter)
    server = servers.start(ex)
    term = client(server)
    for _ in range(3):
        assert term.login(7, password="guess") is False and term.last_error() == REFUSED
    # the right password no longer helps: the account is locked for the window
    assert term.login(7, password="right") is False
    assert term.last_error() == (c.RES_E_AUTH_FAILED, "Too many failed logins: try again in 300 s")
    clock.now += 120
    assert term.login(7, password="right") is False
    assert term.last_error() == (c.RES_E_AUTH_FAILED, "Too many failed logins: try again in 180 s")
    clock.now += 180
    assert term.login(7, password="right") is True and term.last_error() == OK
    # per peer: guessing many accounts from one address locks that address, even for a right password
    for login in (100, 101, 102, 103, 104, 105):
        assert term.login(login, password="guess") is False and term.last_error() == REFUSED
    assert term.login(8, password="other") is False
    assert term.last_error() == (c.RES_E_AUTH_FAILED, "Too many failed logins: try again in 300 s")
    assert ex.limiter.wait_s(8, "10.0.0.9") == 0  # another address may still log in to account 8
    assert ex.authenticate(8, "other", peer="10.0.0.9").login == 8
    term.close()


def _raw_connection(port: int, source: str) -> rpyc.Connection:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0))
    from rpyc.core.stream import SocketStream
    from rpyc.utils.factory import connect_stream

    conn = connect_stream(SocketStream(sock), rpyc.VoidService, {"sync_request_timeout": 5})
    conn.root  # noqa: B018  (one round trip: refused connections fail here)
    return conn


def test_connections_are_capped_in_all_and_per_peer(servers):
    gate = ConnectionGate(max_connections=3, max_per_peer=2)
    server = servers.start(exchange(), gate=gate)
    first, second = client(server), client(server)
    with pytest.raises(TerminalDisconnected, match="closed the connection at once: it has too many connections"):
        client(server)
    assert gate.refused == 1
    other = _raw_connection(server.port, "127.0.0.2")  # another address: its own per-peer count
    with pytest.raises(EOFError):
        _raw_connection(server.port, "127.0.0.3")  # three open: the total cap
    assert gate.refused == 2 and gate.open_connections == 3
    first.close()
    assert wait_until(lambda: gate.open_connections == 2)
    third = client(server)
    assert third.initialize(login=3, password="p") is True
    for conn in (second, third, other):
        conn.close()
    assert wait_until(lambda: gate.open_connections == 0)


# ---------------------------------------------------------------------------------------------- TLS
@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"], check=True, capture_output=True)
    return cert, key


class Recorder:
    """A TCP relay on 127.0.0.1 that keeps every byte the client sends to ``port``."""

    def __init__(self, port: int) -> None:
        self.sent = bytearray()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._target = port
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        inbound, _ = self._listener.accept()
        outbound = socket.create_connection(("127.0.0.1", self._target))

        def pump(src: socket.socket, dst: socket.socket, keep: bool) -> None:
            try:
                while data := src.recv(65536):
                    if keep:
                        self.sent.extend(data)
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        threading.Thread(target=pump, args=(outbound, inbound, False), daemon=True).start()
        pump(inbound, outbound, True)

    def close(self) -> None:
        self._listener.close()


def test_tls_round_trip_and_the_password_never_crosses_in_clear(servers, certificate):
    cert, key = certificate
    plain = servers.start(exchange())
    tls = servers.start(exchange(), gate=ConnectionGate(tls=server_tls_context(cert, key)))
    assert tls.url == f"sims://127.0.0.1:{tls.port}" and plain.url == f"sim://127.0.0.1:{plain.port}"
    password = "Pa55-word-on-the-wire"
    for server, secure in ((plain, False), (tls, True)):
        relay = Recorder(server.port)
        term = SimTerminalClient("127.0.0.1", relay.port, tls=secure, ca_file=str(cert) if secure else None)
        assert term.initialize(login=31, password=password) is True
        assert term.account_info().login == 31
        assert buy(term).retcode == c.TRADE_RETCODE_DONE
        term.close()
        relay.close()
        # the relay saw the password in clear on the plain server (so this check can fail), never with TLS
        assert (password.encode() in relay.sent) is not secure
        assert len(relay.sent) > 100


def test_plain_and_unverified_clients_fail_clearly_against_tls(servers, certificate):
    cert, key = certificate
    tls = servers.start(exchange(), gate=ConnectionGate(tls=server_tls_context(cert, key)))
    with pytest.raises(TerminalDisconnected, match="closed the connection at once.*expects TLS \\(use sims://\\)"):
        client(tls)
    with pytest.raises(TerminalDisconnected, match="failed certificate verification .*pass its CA file"):
        client(tls, tls=True)  # the system CAs do not know a self-signed certificate
    assert client(tls, tls=True, verify=False).initialize(login=32, password="p") is True
    plain = servers.start(exchange())
    with pytest.raises(TerminalDisconnected, match="TLS handshake with sims://127.0.0.1:\\d+ failed"):
        SimTerminalClient("127.0.0.1", plain.port, timeout_s=1.0, tls=True, ca_file=str(cert))
    assert parse_sim_url("sims://example.org:443") == ("example.org", 443, True)
    assert parse_sim_url("sim://127.0.0.1") == ("127.0.0.1", 18812, False)
    with pytest.raises(ValueError, match="use sim://host:port or sims://host:port"):
        parse_sim_url("http://x:1")


def test_login_over_sims_verifies_the_server_and_trades(servers, certificate):
    import mas

    cert, key = certificate
    tls = servers.start(exchange(), gate=ConnectionGate(tls=server_tls_context(cert, key)))
    trader = mas.MAS()
    assert trader.login({"account": 33, "password": "Pa55-tls", "server": "MAS-Sim",
                         "terminal": f"sims://127.0.0.1:{tls.port}", "ca_file": str(cert)}), trader.last_error()
    assert trader.get_account_info()["login"] == 33
    trader.shutdown_mt5()
    plain = mas.MAS()
    assert not plain.login({"account": 33, "password": "Pa55-tls", "server": "MAS-Sim",
                            "terminal": f"sim://127.0.0.1:{tls.port}"})
    assert "expects TLS (use sims://)" in plain.last_error()[1] and "Pa55-tls" not in plain.last_error()[1]
    unverified = mas.MAS()
    assert not unverified.login({"account": 33, "password": "Pa55-tls", "server": "MAS-Sim",
                                 "terminal": f"sims://127.0.0.1:{tls.port}"})
    assert "certificate verification" in unverified.last_error()[1]


# ---------------------------------------------------------------------------------------------- file modes
def test_state_files_are_readable_by_the_owner_only(tmp_path):
    folder = tmp_path / "new" / "state"
    state = folder / "sim.sqlite"
    ex = exchange(state=state)
    ex.authenticate(41, "pw")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (state, Path(f"{state}-wal"), Path(f"{state}-shm")):
        assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600, path
    ex.close()
    loose = tmp_path / "loose.sqlite"
    loose.touch()
    os.chmod(loose, 0o644)
    exchange(state=loose).close()
    assert stat.S_IMODE(loose.stat().st_mode) == 0o600


# ---------------------------------------------------------------------------------------------- history
def test_history_before_the_replay_start_is_served(open_server):
    term = client(open_server)
    assert term.initialize() is True
    stored = stored_bars(open_server.exchange, "H1")
    feb = stored[(stored["time"] >= utc(2017, 2, 1)) & (stored["time"] <= utc(2017, 2, 28, 23))]
    rates = term.copy_rates_range("EURUSD", c.TIMEFRAME_H1, datetime(2017, 2, 1), datetime(2017, 2, 28, 23))
    assert len(rates) == len(feb) == 480  # 20 trading days
    assert np.array_equal(rates["time"], feb["time"]) and np.array_equal(rates["close"], feb["close"])
    days = term.copy_rates_range("EURUSD", c.TIMEFRAME_D1, datetime(2017, 2, 1), datetime(2017, 2, 28))
    assert len(days) == 24 and term.last_error() == OK
    ticks = term.copy_ticks_range("EURUSD", datetime(2017, 2, 1), datetime(2017, 2, 2), c.COPY_TICKS_ALL)
    assert len(ticks) == 25 and int(ticks["time"][0]) == utc(2017, 2, 1)  # closes from 2017-01-31 23:00 on
    assert np.allclose(ticks["ask"] - ticks["bid"], stored["spread"][np.isin(stored["time"] + H1, ticks["time"])]
                       * 1e-5)
    # nothing after the replay's present
    assert term.copy_rates_range("EURUSD", c.TIMEFRAME_H1, datetime(2017, 3, 2), datetime(2017, 4, 1)).size == 0
    assert term.copy_rates_range("EURUSD", c.TIMEFRAME_M15, datetime(2017, 2, 1), datetime(2017, 3, 1)) is None
    assert term.last_error() == (c.RES_E_NOT_FOUND, "no M15 bars of EURUSD are stored on this server")
    term.close()


def test_position_zero_is_the_forming_bar(servers):
    clock = Clock()
    ex = exchange(start=datetime(2017, 3, 1, 10), clock=clock)  # a Wednesday
    server = servers.start(ex)
    term = client(server)
    assert term.initialize() is True
    clock.now += 5.5  # five and a half H1 bars: 15:00 closed, 15:30 into the 16:00 bar
    ex.catch_up()
    tick = term.symbol_info_tick("EURUSD")
    assert tick.time == utc(2017, 3, 1, 16)
    bars = term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, 0, 3)
    stored = stored_bars(ex, "H1")
    last_two = stored[(stored["time"] >= utc(2017, 3, 1, 14)) & (stored["time"] <= utc(2017, 3, 1, 15))]
    assert bars["time"].tolist() == [utc(2017, 3, 1, 14), utc(2017, 3, 1, 15), utc(2017, 3, 1, 16)]
    assert np.array_equal(bars[:2], last_two)
    forming = bars[2]
    assert forming["open"] == forming["high"] == forming["low"] == forming["close"] == tick.bid
    assert forming["tick_volume"] == 0
    assert np.array_equal(term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, 1, 2), last_two)
    # the day's forming D1 bar: what the day's completed H1 bars and the current quote say, nothing later
    (day,) = term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_D1, 0, 1)
    today = stored[(stored["time"] >= utc(2017, 3, 1)) & (stored["time"] < utc(2017, 3, 1, 16))]
    assert day["time"] == utc(2017, 3, 1) and day["open"] == today["open"][0] and day["close"] == tick.bid
    assert day["high"] == today["high"].max() and day["low"] == today["low"].min()
    assert day["tick_volume"] == today["tick_volume"].sum()
    (from_date,) = term.copy_rates_from("EURUSD", c.TIMEFRAME_H1, datetime(2017, 3, 1, 16, 30), 1)
    assert from_date["time"] == utc(2017, 3, 1, 16) and from_date["close"] == tick.bid
    # a closed market (the weekend gap): position 0 is the week's last bar, complete
    clock.now += (utc(2017, 3, 4) - utc(2017, 3, 1, 16)) / H1
    ex.catch_up()
    (friday,) = term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, 0, 1)
    assert np.array_equal(friday, stored[stored["time"] == utc(2017, 3, 3, 21)][0])
    term.close()


# ---------------------------------------------------------------------------------------------- symbols and last_error
def test_unquoted_symbols_get_price_off_never_success(open_server):
    term = client(open_server)
    assert term.initialize(login=51, password="pw51") is True
    assert term.symbols_total() == 1 and [s.name for s in term.symbols_get()] == ["EURUSD"]
    for symbol in ("GBPUSD", "NOPE"):
        result = term.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": symbol, "type": c.ORDER_TYPE_BUY,
                                  "volume": 0.1, "type_filling": c.ORDER_FILLING_FOK, "comment": "x"})
        assert result.retcode == c.TRADE_RETCODE_PRICE_OFF
        assert result.comment == f"No prices: {symbol} is not quoted on this server (it quotes EURUSD)"
        assert (result.order, result.deal, result.request.symbol, result.request.comment) == (0, 0, symbol, "x")
        assert term.last_error() == OK
        check = term.order_check({"action": c.TRADE_ACTION_PENDING, "symbol": symbol, "type": c.ORDER_TYPE_BUY_LIMIT,
                                  "volume": 0.1, "price": 1.0})
        assert check.retcode == c.TRADE_RETCODE_PRICE_OFF and check.balance == 10_000.0
        assert term.symbol_info(symbol) is None
        assert term.last_error() == (c.RES_E_NOT_FOUND, f"Symbol {symbol} not found: this server quotes EURUSD")
        assert term.symbol_info_tick(symbol) is None and term.symbol_select(symbol) is False
        assert term.order_calc_margin(c.ORDER_TYPE_BUY, symbol, 1.0, 1.2) is None
        assert term.copy_rates_from_pos(symbol, c.TIMEFRAME_H1, 0, 5) is None
        assert term.last_error() == (c.RES_E_NOT_FOUND, f"Symbol {symbol} not found: this server quotes EURUSD")
    assert term.positions_total() == 0 and term.history_deals_total(0, 4102444800) == 1  # the deposit only
    term.close()


def test_a_successful_call_resets_last_error(open_server):
    term = client(open_server)
    assert term.initialize() is True and term.last_error() == OK
    assert term.symbol_info("NOPE") is None and term.last_error()[0] == c.RES_E_NOT_FOUND
    assert term.symbol_info_tick("EURUSD") is not None and term.last_error() == OK
    assert term.copy_rates_from_pos("EURUSD", 12345, 0, 5) is None
    assert term.last_error() == (c.RES_E_INVALID_PARAMS, "Invalid timeframe 12345: use a TIMEFRAME_* constant")
    assert len(term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, 0, 5)) == 5 and term.last_error() == OK
    assert term.copy_rates_from_pos("EURUSD", c.TIMEFRAME_H1, -1, 5) is None
    assert term.last_error()[0] == c.RES_E_INVALID_PARAMS
    assert term.login(2**64, password="x") is False and term.last_error() == BAD_LOGIN
    assert term.version() is not None and term.last_error() == OK
    assert term.login(52, password="pw52") is True and term.last_error() == OK
    assert term.positions_get(symbol="NOPE") == () and term.last_error() == OK
    term.close()


def test_the_serve_command_with_an_accounts_file_and_tls(tmp_path, certificate):
    """``mas sim serve --accounts FILE --tls-cert --tls-key`` in its own process, as an operator runs it."""
    cert, key = certificate
    accounts = tmp_path / "accounts.toml"
    accounts.write_text(f'[[account]]\nlogin = 61\npassword_hash = "{format_hash(*hash_password("pw61"))}"\n'
                        f'balance = 5000\n')
    accounts.chmod(0o600)
    base = ["serve", "--port", "0", "--from", "2017-03-01", "--speed", "1", "--accounts", str(accounts)]
    result = CliRunner().invoke(sim_app, [*base, "--tls-cert", str(cert)])
    assert result.exit_code == 2 and "--tls-cert and --tls-key go together" in result.output
    args = [*base, "--tls-cert", str(cert), "--tls-key", str(key), "--state", str(tmp_path / "s" / "state.sqlite")]
    proc = subprocess.Popen([sys.executable, "-c", f"from mas.cli.sim import sim_app; sim_app({args!r})"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=dict(os.environ))
    try:
        assert proc.stdout is not None
        line = ""
        for line in proc.stdout:  # noqa: B007  (the start-up line names the port)
            if "listening on" in line:
                break
        assert " (TLS) - EURUSD H1" in line, line
        port = int(line.split("listening on 127.0.0.1:")[1].split(" ")[0])
        term = SimTerminalClient("127.0.0.1", port, tls=True, ca_file=str(cert))
        assert term.initialize(login=62, password="pw61") is False and term.last_error() == REFUSED
        assert term.initialize(login=61, password="pw61") is True
        assert term.account_info().balance == 5000.0
        term.close()
        with pytest.raises(TerminalDisconnected, match="expects TLS"):
            SimTerminalClient("127.0.0.1", port)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert stat.S_IMODE((tmp_path / "s").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "s" / "state.sqlite").stat().st_mode) == 0o600
