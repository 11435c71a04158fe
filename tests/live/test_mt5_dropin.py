"""``mas.mt5`` as a drop-in for ``MetaTrader5``, and ``mas mt5 run`` on unmodified scripts.

The scripts below are written the way MetaQuotes' documentation writes its examples
(``import MetaTrader5 as mt5``, ``initialize()``, pandas DataFrames, ``_asdict()``); they run
unchanged through ``mas mt5 run`` as subprocesses against a ``mas sim serve`` the test starts on
127.0.0.1. Each prints one ``RESULT {json}`` line the test reads. The expected dtypes are those
the MetaTrader5 documentation names (``copy_rates_*``: time, open, high, low, close, tick_volume,
spread, real_volume; ``copy_ticks_*``: time, bid, ask, last, volume, time_msc, flags, volume_real)
with the MetaTrader5 package's numpy types.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import mas.mt5 as mt5
from mas.live.wire import MT5_FUNCTIONS
from mas.terminal import types as t

FAST = 3600 * 20  # 20 H1 bars a second
PASSWORD = "s3cret-Pw-7781"
UTC = timezone.utc

RATES_DESCR = [["time", "<i8"], ["open", "<f8"], ["high", "<f8"], ["low", "<f8"], ["close", "<f8"],
               ["tick_volume", "<u8"], ["spread", "<i4"], ["real_volume", "<u8"]]
TICKS_DESCR = [["time", "<i8"], ["bid", "<f8"], ["ask", "<f8"], ["last", "<f8"], ["volume", "<u8"],
               ["time_msc", "<i8"], ["flags", "<u4"], ["volume_real", "<f8"]]

METATRADER5_CONSTANTS = {
    # numeric values of the MetaTrader5 package (5.0.x), as its module reports them
    "TIMEFRAME_M1": 1, "TIMEFRAME_M5": 5, "TIMEFRAME_M15": 15, "TIMEFRAME_M30": 30, "TIMEFRAME_H1": 16385,
    "TIMEFRAME_H4": 16388, "TIMEFRAME_D1": 16408, "TIMEFRAME_W1": 32769, "TIMEFRAME_MN1": 49153,
    "ORDER_TYPE_BUY": 0, "ORDER_TYPE_SELL": 1, "ORDER_TYPE_BUY_LIMIT": 2, "ORDER_TYPE_SELL_STOP_LIMIT": 7,
    "ORDER_TYPE_CLOSE_BY": 8, "TRADE_ACTION_DEAL": 1, "TRADE_ACTION_PENDING": 5, "TRADE_ACTION_SLTP": 6,
    "TRADE_ACTION_MODIFY": 7, "TRADE_ACTION_REMOVE": 8, "TRADE_ACTION_CLOSE_BY": 10, "ORDER_FILLING_FOK": 0,
    "ORDER_FILLING_IOC": 1, "ORDER_FILLING_RETURN": 2, "ORDER_FILLING_BOC": 3, "ORDER_TIME_GTC": 0,
    "ORDER_TIME_SPECIFIED_DAY": 3, "TRADE_RETCODE_DONE": 10009, "TRADE_RETCODE_PLACED": 10008,
    "TRADE_RETCODE_INVALID_VOLUME": 10014, "TRADE_RETCODE_INVALID_FILL": 10030, "TRADE_RETCODE_FIFO_CLOSE": 10045,
    "COPY_TICKS_ALL": -1, "COPY_TICKS_INFO": 1, "COPY_TICKS_TRADE": 2, "TICK_FLAG_BID": 2, "TICK_FLAG_SELL": 64,
    "POSITION_TYPE_SELL": 1, "DEAL_ENTRY_OUT": 1, "DEAL_TYPE_BALANCE": 2, "DEAL_REASON_TP": 5, "BOOK_TYPE_BUY": 2,
    "ACCOUNT_MARGIN_MODE_RETAIL_HEDGING": 2, "SYMBOL_CALC_MODE_EXCH_BONDS_MOEX": 39,
    "SYMBOL_CALC_MODE_SERV_COLLATERAL": 64, "SYMBOL_TRADE_MODE_FULL": 4, "SYMBOL_TRADE_EXECUTION_MARKET": 2,
    "SYMBOL_SWAP_MODE_REOPEN_BID": 8, "SYMBOL_ORDERS_DAILY_NO_STOPS": 2, "SYMBOL_OPTION_RIGHT_PUT": 1,
    "SYMBOL_OPTION_MODE_AMERICAN": 1, "DAY_OF_WEEK_SATURDAY": 6, "RES_S_OK": 1, "RES_E_AUTH_FAILED": -6,
    "RES_E_INTERNAL_FAIL_CONNECT": -10004, "RES_E_INTERNAL_FAIL_TIMEOUT": -10005,
}


# ---------------------------------------------------------------------------------------- servers
class SimServe:
    """``mas sim serve`` in a subprocess on 127.0.0.1 (a free port; read from its first line)."""

    def __init__(self, home: Path, start: str = "2017-01-02", port: int = 0, state: Path | None = None,
                 speed: float = FAST) -> None:
        cmd = [sys.executable, "-m", "mas", "sim", "serve", "--port", str(port), "--from", start,
               "--speed", str(speed), "--allow-new-accounts"] + (["--state", str(state)] if state else [])
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=dict(os.environ, MAS_HOME=str(home)))
        self.lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.lines.append(line)
                if "listening on" in line:
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(30) or not any("listening on" in line for line in self.lines):
            self.kill()
            raise RuntimeError("mas sim serve did not start:\n" + "".join(self.lines))
        first = next(line for line in self.lines if "listening on" in line)
        self.port = int(first.split("listening on ")[1].split(" ")[0].rsplit(":", 1)[1])
        self.url = f"sim://127.0.0.1:{self.port}"

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[SimServe]:
    """One server for the module's read-mostly tests (each test trades on its own account)."""
    srv = SimServe(tmp_path_factory.mktemp("home"), start="2017-02-01", speed=3600)  # an H1 bar a second
    yield srv
    srv.kill()


@pytest.fixture(autouse=True)
def no_terminal_defaults_from_outside(monkeypatch):
    """The developer's own MAS_TERMINAL / MAS_LOGIN / MAS_PASSWORD / MAS_SERVER do not leak into the tests."""
    for name in ("MAS_TERMINAL", "MAS_LOGIN", "MAS_PASSWORD", "MAS_SERVER"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def module() -> Iterator:
    """``mas.mt5`` itself, shut down and unconfigured after the test."""
    yield mt5
    mt5.shutdown()
    mt5.configure()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_script(tmp_path: Path, source: str, *cli_args: str, env: dict | None = None,
               name: str = "script.py") -> subprocess.CompletedProcess:
    """``mas mt5 run`` on ``source`` (written to a file, unchanged) in a subprocess."""
    script = tmp_path / name
    script.write_text(textwrap.dedent(source))
    full_env = {**os.environ, "MAS_PASSWORD": PASSWORD, **(env or {})}
    return subprocess.run([sys.executable, "-m", "mas", "mt5", "run", str(script), *cli_args],
                          capture_output=True, text=True, env=full_env, timeout=120, cwd=tmp_path)


def result_of(proc: subprocess.CompletedProcess) -> dict:
    assert PASSWORD not in proc.stdout + proc.stderr, "the password was printed"
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and len(lines) == 1, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return json.loads(lines[0][len("RESULT "):])


def login_args(srv: SimServe, login: int) -> list[str]:
    return ["--terminal", srv.url, "--login", str(login), "--server", "MAS-Sim"]


# ---------------------------------------------------------------------------------------- scripts
MARKET_DATA_SCRIPT = '''
    import json
    import sys
    from datetime import datetime, timedelta, timezone

    import MetaTrader5 as mt5
    import pandas as pd

    print("MetaTrader5 package author: ", mt5.__author__)
    print("MetaTrader5 package version: ", mt5.__version__)
    # establish connection to the MetaTrader 5 terminal
    if not mt5.initialize():
        print("initialize() failed, error code =", mt5.last_error())
        quit()
    print(mt5.terminal_info())
    print(mt5.version())

    symbol = sys.argv[1]
    # the last 30 H1 bars
    last_bars = mt5.copy_rates_from_pos(symbol, mt5.TIMEFRAME_H1, 0, 30)
    # MetaTrader 5 keeps bar and tick times in UTC: build datetimes in UTC
    utc_from = datetime.fromtimestamp(int(last_bars["time"][5]), tz=timezone.utc)
    utc_to = datetime.fromtimestamp(int(last_bars["time"][24]), tz=timezone.utc)
    # get the bars within the interval utc_from - utc_to
    rates = mt5.copy_rates_range(symbol, mt5.TIMEFRAME_H1, utc_from, utc_to)
    rates_frame = pd.DataFrame(rates)
    rates_frame["time"] = pd.to_datetime(rates_frame["time"], unit="s")
    print(rates_frame.head(10))
    # 5 bars up to utc_to
    from_date = mt5.copy_rates_from(symbol, mt5.TIMEFRAME_H1, utc_to, 5)
    tick = mt5.symbol_info_tick(symbol)
    print(tick)
    ticks = mt5.copy_ticks_range(symbol, utc_from, utc_to, mt5.COPY_TICKS_ALL)
    ticks_frame = pd.DataFrame(ticks)
    ticks_frame["time"] = pd.to_datetime(ticks_frame["time"], unit="s")
    print(ticks_frame.head(5))

    missing = mt5.symbol_info("NO.SUCH.SYMBOL")
    missing_error = mt5.last_error()
    info = mt5.symbol_info(symbol)
    after_success = mt5.last_error()
    print(RESULT_PREFIX + json.dumps({
        "range_descr": rates.dtype.descr, "range_shape": list(rates.shape), "range_ndim": rates.ndim,
        "range_times": [int(x) for x in rates["time"]], "from": int(utc_from.timestamp()),
        "to": int(utc_to.timestamp()), "frame_columns": list(rates_frame.columns),
        "frame_time_dtype": str(rates_frame["time"].dtype),
        "pos_descr": last_bars.dtype.descr, "pos_shape": list(last_bars.shape),
        "pos_times": [int(x) for x in last_bars["time"]],
        "from_times": [int(x) for x in from_date["time"]],
        "tick_type": type(tick).__name__, "tick_fields": list(tick._asdict()), "tick": list(tick),
        "ticks_descr": ticks.dtype.descr, "ticks_len": len(ticks),
        "missing": missing, "missing_error": list(missing_error), "after_success": list(after_success),
        "info_type": type(info).__name__, "digits": info.digits, "point": info.point,
        "terminal_connected": mt5.terminal_info().connected, "version": list(mt5.version()),
    }))
    mt5.shutdown()
'''.replace("RESULT_PREFIX", '"RESULT "')

TRADING_SCRIPT = '''
    import json
    from datetime import datetime

    import MetaTrader5 as mt5
    import pandas as pd

    if not mt5.initialize():
        print("initialize() failed, error code =", mt5.last_error())
        quit()
    account = mt5.account_info()
    print(account)

    symbol = "EURUSD"
    symbol_info = mt5.symbol_info(symbol)
    if symbol_info is None:
        print(symbol, "not found, can not call order_check()")
        mt5.shutdown()
        quit()
    # if the symbol is unavailable in MarketWatch, add it
    if not symbol_info.visible:
        print(symbol, "is not visible, trying to switch on")
        if not mt5.symbol_select(symbol, True):
            print("symbol_select({}) failed, exit".format(symbol))
            mt5.shutdown()
            quit()

    # the filling mode the symbol allows (SymbolInfo.filling_mode: 1 = FOK, 2 = IOC)
    if symbol_info.filling_mode & 1:
        filling = mt5.ORDER_FILLING_FOK
    elif symbol_info.filling_mode & 2:
        filling = mt5.ORDER_FILLING_IOC
    else:
        filling = mt5.ORDER_FILLING_RETURN

    lot = 0.1
    point = mt5.symbol_info(symbol).point
    price = mt5.symbol_info_tick(symbol).ask
    deviation = 20
    request = {
        "action": mt5.TRADE_ACTION_DEAL,
        "symbol": symbol,
        "volume": lot,
        "type": mt5.ORDER_TYPE_BUY,
        "price": price,
        "sl": round(price - 1000 * point, symbol_info.digits),
        "tp": round(price + 1000 * point, symbol_info.digits),
        "deviation": deviation,
        "magic": 234000,
        "comment": "python script open",
        "type_time": mt5.ORDER_TIME_GTC,
        "type_filling": filling,
    }
    check = mt5.order_check(request)
    result = mt5.order_send(request)
    print("1. order_send(): by {} {} lots at {} with deviation={} points".format(symbol, lot, price, deviation))
    if result.retcode != mt5.TRADE_RETCODE_DONE:
        print("2. order_send failed, retcode={}".format(result.retcode))
        result_dict = result._asdict()
        for field in result_dict.keys():
            print("   {}={}".format(field, result_dict[field]))
        mt5.shutdown()
        quit()
    opened = result._asdict()
    request_back = opened["request"]._asdict()
    position_id = result.order

    positions = mt5.positions_get(symbol=symbol)
    by_ticket = mt5.positions_get(ticket=position_id)
    positions_total = mt5.positions_total()
    position = positions[0]

    bad = mt5.order_send({**request, "volume": 0.0})

    price = mt5.symbol_info_tick(symbol).bid
    close_request = {
        "action": mt5.TRADE_ACTION_DEAL,
        "symbol": symbol,
        "volume": lot,
        "type": mt5.ORDER_TYPE_SELL,
        "position": position_id,
        "price": price,
        "deviation": deviation,
        "magic": 234000,
        "comment": "python script close",
        "type_time": mt5.ORDER_TIME_GTC,
        "type_filling": filling,
    }
    closed = mt5.order_send(close_request)
    print("3. close position #{}: sell {} {} lots at {}".format(position_id, symbol, lot, price))

    from_date = datetime(2010, 1, 1)
    to_date = datetime.now()
    deals = mt5.history_deals_get(from_date, to_date, group="*EUR*")
    deals_total = mt5.history_deals_total(from_date, to_date)
    position_deals = mt5.history_deals_get(position=position_id)
    df = pd.DataFrame(list(deals), columns=deals[0]._asdict().keys())
    df["time"] = pd.to_datetime(df["time"], unit="s")
    print(df)
    orders = mt5.history_orders_get(from_date, to_date)
    print(RESULT_PREFIX + json.dumps({
        "login": account.login, "filling": filling, "check_retcode": check.retcode, "check_margin": check.margin,
        "open_retcode": result.retcode, "open_type": type(result).__name__, "open_fields": list(opened),
        "request_type": type(opened["request"]).__name__, "request_back": request_back,
        "position_type": type(position).__name__, "n_positions": len(positions), "n_by_ticket": len(by_ticket),
        "positions_total": positions_total, "position": position._asdict(),
        "sent_sl": request["sl"], "sent_tp": request["tp"],
        "bad_retcode": bad.retcode, "close_retcode": closed.retcode,
        "positions_after": mt5.positions_total(), "positions_after_get": len(mt5.positions_get()),
        "deals_columns": list(df.columns), "deal_types": [int(x) for x in df["type"]],
        "deal_entries": [int(x) for x in df["entry"]], "deals_total": deals_total,
        "position_deals": [d.position_id for d in position_deals],
        "position_deal_comments": [d.comment for d in position_deals],
        "orders_total": mt5.history_orders_total(from_date, to_date), "n_orders": len(orders),
        "last_error": list(mt5.last_error()),
    }))
    mt5.shutdown()
'''.replace("RESULT_PREFIX", '"RESULT "')


# ---------------------------------------------------------------------------------------- tests: scripts
def test_market_data_script_runs_unchanged(server, tmp_path):
    proc = run_script(tmp_path, MARKET_DATA_SCRIPT, *login_args(server, 2001), "--", "EURUSD")
    out = result_of(proc)
    assert out["range_descr"] == RATES_DESCR and out["pos_descr"] == RATES_DESCR
    assert out["ticks_descr"] == TICKS_DESCR and out["ticks_len"] > 0
    assert out["range_ndim"] == 1 and out["range_shape"] == [len(out["range_times"])]
    assert out["pos_shape"] == [30] and out["pos_times"] == sorted(set(out["pos_times"]))
    assert out["range_times"] == out["pos_times"][5:25]
    assert out["frame_columns"] == [name for name, _ in RATES_DESCR]
    assert out["frame_time_dtype"].startswith("datetime64")
    assert out["from_times"] == out["pos_times"][20:25]
    assert out["tick_type"] == "Tick" and out["tick_fields"] == list(t.Tick._fields)
    tick = dict(zip(out["tick_fields"], out["tick"], strict=True))
    assert 0 < tick["bid"] < tick["ask"] and tick["time_msc"] == tick["time"] * 1000
    assert out["missing"] is None and out["missing_error"][0] == mt5.RES_E_NOT_FOUND
    assert "NO.SUCH.SYMBOL" in out["missing_error"][1]
    assert out["after_success"] == [mt5.RES_S_OK, "Success"]
    assert (out["info_type"], out["digits"], out["point"]) == ("SymbolInfo", 5, 1e-05)
    assert out["terminal_connected"] is True and len(out["version"]) == 3


def test_copy_rates_from_pos_counts_back_from_the_forming_bar(server, tmp_path):
    """A broker's copy_rates_from_pos(symbol, tf, 0, n): n bars, history before the server's start
    included, the last one the bar still forming (its open time is the current hour)."""
    script = '''
        import json
        import MetaTrader5 as mt5

        mt5.initialize()
        before = mt5.symbol_info_tick("EURUSD").time
        rates = mt5.copy_rates_from_pos("EURUSD", mt5.TIMEFRAME_H1, 0, 500)
        after = mt5.symbol_info_tick("EURUSD").time
        print("RESULT " + json.dumps({"n": len(rates), "first": int(rates["time"][0]),
                                      "last": int(rates["time"][-1]), "before": before, "after": after}))
        mt5.shutdown()
    '''
    out = result_of(run_script(tmp_path, script, *login_args(server, 2002)))
    assert out["n"] == 500
    assert out["first"] < datetime(2017, 2, 1, tzinfo=UTC).timestamp()  # the server replays from 2017-02-01
    assert out["before"] - 3600 < out["last"] <= out["after"]  # the bar of "now" (the replay moves meanwhile)


def test_trading_script_opens_and_closes_with_sl_tp(server, tmp_path):
    out = result_of(run_script(tmp_path, TRADING_SCRIPT, *login_args(server, 2003)))
    assert out["login"] == 2003
    assert out["filling"] == mt5.ORDER_FILLING_FOK  # the sim's EURUSD allows FOK and IOC
    assert out["check_retcode"] == 0 and out["check_margin"] > 0
    assert out["open_retcode"] == mt5.TRADE_RETCODE_DONE and out["open_type"] == "OrderSendResult"
    assert out["open_fields"] == list(t.OrderSendResult._fields)
    assert out["request_type"] == "TradeRequest" and out["request_back"]["comment"] == "python script open"
    assert (out["request_back"]["sl"], out["request_back"]["tp"]) == (out["sent_sl"], out["sent_tp"])
    assert out["position_type"] == "TradePosition" and (out["n_positions"], out["n_by_ticket"]) == (1, 1)
    assert out["positions_total"] == 1
    position = out["position"]
    assert (position["sl"], position["tp"], position["type"]) == (out["sent_sl"], out["sent_tp"], 0)
    assert position["magic"] == 234000 and position["volume"] == 0.1
    assert out["bad_retcode"] == mt5.TRADE_RETCODE_INVALID_VOLUME
    assert out["close_retcode"] == mt5.TRADE_RETCODE_DONE
    assert out["positions_after"] == 0 and out["positions_after_get"] == 0
    assert out["deals_columns"] == list(t.TradeDeal._fields)
    assert out["deal_types"] == [mt5.DEAL_TYPE_BUY, mt5.DEAL_TYPE_SELL]  # group "*EUR*": no balance deal
    assert out["deal_entries"] == [mt5.DEAL_ENTRY_IN, mt5.DEAL_ENTRY_OUT]
    assert out["deals_total"] == 3  # the initial deposit, the open and the close
    assert out["position_deals"] == [position["identifier"]] * 2
    assert out["position_deal_comments"] == ["python script open", "python script close"]
    assert out["orders_total"] == out["n_orders"] == 2
    assert out["last_error"] == [mt5.RES_S_OK, "Success"]


def test_two_scripts_trade_at_once_on_their_own_accounts(server, tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    dirs = [tmp_path / "a", tmp_path / "b"]
    for d in dirs:
        d.mkdir()
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda args: run_script(args[0], TRADING_SCRIPT, *login_args(server, args[1])),
                             [(dirs[0], 2030), (dirs[1], 2031)]))
    outs = [result_of(proc) for proc in runs]
    assert [o["login"] for o in outs] == [2030, 2031]
    for out in outs:
        assert (out["open_retcode"], out["close_retcode"]) == (mt5.TRADE_RETCODE_DONE, mt5.TRADE_RETCODE_DONE)
        assert out["deals_total"] == 3 and out["positions_after"] == 0


def test_failures_are_reported_like_metatrader5_and_the_password_never_shows(server, tmp_path):
    script = '''
        import MetaTrader5 as mt5

        if not mt5.initialize():
            print("initialize() failed, error code =", mt5.last_error())
            quit()
        print("connected")
    '''
    # a script that crashes shows its traceback, never the password (given on the command line here)
    crash = run_script(tmp_path, "import MetaTrader5 as mt5\nassert mt5.initialize()\nraise RuntimeError('boom')\n",
                       *login_args(server, 2005), "--password", PASSWORD, name="crash.py")
    assert crash.returncode == 1 and "RuntimeError: boom" in crash.stderr and 'crash.py", line 3' in crash.stderr
    assert PASSWORD not in crash.stdout + crash.stderr
    # account 2005 exists now: a wrong password fails initialize() with RES_E_AUTH_FAILED
    wrong = run_script(tmp_path, script, *login_args(server, 2005), env={"MAS_PASSWORD": PASSWORD + "x"})
    assert wrong.returncode == 0 and "initialize() failed, error code = (-6," in wrong.stdout
    assert PASSWORD not in wrong.stdout + wrong.stderr
    refused = run_script(tmp_path, script, "--terminal", f"sim://127.0.0.1:{free_port()}", "--login", "1")
    assert "initialize() failed, error code = (-10004, 'No IPC connection" in refused.stdout
    assert "127.0.0.1" in refused.stdout and PASSWORD not in refused.stdout + refused.stderr
    no_password = run_script(tmp_path, script, *login_args(server, 2006), env={"MAS_PASSWORD": ""})
    assert no_password.returncode == 2 and "MAS_PASSWORD" in no_password.stderr
    bad_url = run_script(tmp_path, script, "--terminal", "fix://somewhere:1")
    assert bad_url.returncode == 2 and "sim://host:port" in bad_url.stderr


def test_exit_status_and_argv_are_the_scripts(server, tmp_path):
    script = '''
        import sys
        import MetaTrader5
        print("argv", sys.argv[1:], __name__, MetaTrader5.__name__)
        sys.exit(int(sys.argv[1]))
    '''
    proc = run_script(tmp_path, script, "--terminal", server.url, "7", "--symbol", "EURUSD")
    assert proc.returncode == 7
    assert "argv ['7', '--symbol', 'EURUSD'] __main__ mas.mt5" in proc.stdout


def test_terminal_mt5_uses_the_real_metatrader5_package(tmp_path):
    """--terminal mt5: the script's MetaTrader5 calls reach the installed MetaTrader5 package (a stand-in
    here, as on Windows) with the configured credentials."""
    package = tmp_path / "site"
    package.mkdir()
    (package / "MetaTrader5.py").write_text(textwrap.dedent('''
        from collections import namedtuple
        Tick = namedtuple("Tick", "time bid ask last volume time_msc flags volume_real")
        def initialize(*args, **kwargs):
            print("REAL initialize", args, sorted(kwargs), kwargs.get("login"), kwargs.get("server"))
            return kwargs.get("login") == 31 and kwargs.get("server") == "Broker-Demo"
        def last_error():
            return (1, "Success")
        def symbol_info_tick(symbol):
            print("REAL symbol_info_tick", symbol)
            return Tick(1, 1.1, 1.2, 0.0, 0, 1000, 6, 0.0)
        def shutdown():
            print("REAL shutdown")
    '''))
    script = '''
        import importlib
        import MetaTrader5 as mt5
        assert mt5.initialize("C:/MT5/terminal64.exe"), mt5.last_error()
        print("RESULT", mt5.symbol_info_tick("EURUSD").ask, mt5.__name__, importlib.import_module("MetaTrader5") is mt5)
        mt5.shutdown()
    '''
    proc = run_script(tmp_path, script, "--terminal", "mt5", "--login", "31", "--server", "Broker-Demo",
                      env={"PYTHONPATH": str(package)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-4:] == [
        "REAL initialize ('C:/MT5/terminal64.exe',) ['login', 'password', 'server'] 31 Broker-Demo",
        "REAL symbol_info_tick EURUSD", "RESULT 1.2 mas.mt5 True", "REAL shutdown"]
    assert PASSWORD not in proc.stdout + proc.stderr


# ---------------------------------------------------------------------------------------- tests: direct use
def test_module_surface_matches_metatrader5():
    for name in MT5_FUNCTIONS:
        assert callable(getattr(mt5, name)), name
    for name, value in METATRADER5_CONSTANTS.items():
        assert getattr(mt5, name) == value, name
    assert set(MT5_FUNCTIONS) <= set(mt5.__all__) and "TRADE_RETCODE_DONE" in mt5.__all__


def test_import_mas_mt5_directly(server, module):
    assert module.initialize(path=server.url, login=2010, password=PASSWORD, server="MAS-Sim")
    assert module.last_error() == (1, "Success")
    info = module.account_info()
    assert type(info) is t.AccountInfo and info.login == 2010 and info.server == "MAS-Sim"
    assert module.terminal_info().connected is True
    assert module.symbols_total() >= 1 and "EURUSD" in [s.name for s in module.symbols_get()]
    assert module.symbol_select("EURUSD", True) is True
    now = datetime.fromtimestamp(module.symbol_info_tick("EURUSD").time, tz=UTC)
    rates = module.copy_rates_range("EURUSD", module.TIMEFRAME_H1, now - timedelta(days=3), now)
    assert rates.dtype == t.RATES_DTYPE and rates.dtype.descr == [tuple(x) for x in RATES_DESCR]
    assert isinstance(rates, np.ndarray) and rates.ndim == 1
    ticks = module.copy_ticks_from("EURUSD", now - timedelta(days=3), 50, module.COPY_TICKS_ALL)
    assert ticks.dtype.descr == [tuple(x) for x in TICKS_DESCR] and 0 < len(ticks) <= 50
    assert module.order_calc_margin(module.ORDER_TYPE_BUY, "EURUSD", 1.0, 1.05) > 0
    assert module.order_calc_profit(module.ORDER_TYPE_BUY, "EURUSD", 1.0, 1.05, 1.06) == pytest.approx(1000.0)
    assert module.market_book_add("EURUSD") is True and len(module.market_book_get("EURUSD")) == 2
    assert module.orders_total() == 0 and module.orders_get() == ()
    assert module.positions_total() == 0 and module.positions_get() == ()
    module.shutdown()
    assert module.account_info() is None and module.last_error()[0] == module.RES_E_INTERNAL_FAIL_CONNECT


def test_terminal_from_keyword_and_environment(server, module, monkeypatch):
    assert module.initialize(terminal=server.url, login=2011, password=PASSWORD, server="MAS-Sim")
    assert module.account_info().login == 2011
    monkeypatch.setenv("MAS_TERMINAL", server.url)
    monkeypatch.setenv("MAS_LOGIN", "2012")
    monkeypatch.setenv("MAS_PASSWORD", PASSWORD)
    assert module.initialize()
    assert module.account_info().login == 2012
    assert module.login(2011, password=PASSWORD) and module.account_info().login == 2011


def test_bad_url_and_refused_connection(module):
    assert module.symbol_info_tick("EURUSD") is None
    assert module.last_error() == (module.RES_E_INTERNAL_FAIL_CONNECT, "No IPC connection: call initialize() first")
    assert module.initialize(path="ftp://127.0.0.1:1") is False
    code, message = module.last_error()
    assert code == module.RES_E_INVALID_PARAMS and "sim://host:port" in message and "ftp" in message
    assert module.initialize(terminal="sim://127.0.0.1:port") is False
    assert "port must be a number" in module.last_error()[1]
    assert module.initialize(terminal="sim://127.0.0.1:99999") is False
    assert "1-65535" in module.last_error()[1]
    port = free_port()
    assert module.initialize(f"sim://127.0.0.1:{port}", login=1, password=PASSWORD) is False
    code, message = module.last_error()
    assert code == module.RES_E_INTERNAL_FAIL_CONNECT and f"127.0.0.1:{port}" in message and "refused" in message
    assert PASSWORD not in message
    assert module.order_send({"action": 1}) is None and module.symbol_select("EURUSD") is False


def test_a_restarted_server_is_reconnected_at_the_next_call(tmp_path, module):
    state, port = tmp_path / "paper.sqlite", free_port()
    first = SimServe(tmp_path / "home", start="2017-02-01", port=port, state=state)
    try:
        assert module.initialize(terminal=first.url, login=2020, password=PASSWORD, server="MAS-Sim")
        assert module.account_info().login == 2020
        assert module.login(2021, password=PASSWORD + "2") and module.account_info().login == 2021
    finally:
        first.kill()
    assert module.account_info() is None
    code, message = module.last_error()
    assert code == module.RES_E_INTERNAL_FAIL_CONNECT and "broke" in message
    assert module.account_info() is None  # still down: the reconnect fails, with the reason
    assert "cannot reach" in module.last_error()[1]
    second = SimServe(tmp_path / "home", start="2017-02-01", port=port, state=state)
    try:
        info = module.account_info()
        assert info is not None and info.login == 2021  # the account of the last login()
    finally:
        second.kill()


def test_mt5linux_terminal_gives_local_types(module, monkeypatch):
    """Over mt5linux the bridge's own named tuples and arrays come back as the MetaTrader5 types."""
    from collections import namedtuple
    from types import SimpleNamespace

    foreign_tick = namedtuple("Tick", t.Tick._fields)
    seen = []

    class Bridge:
        def __init__(self, host, port):
            seen.append(("connect", host, port))

        def initialize(self, **kwargs):
            seen.append(("initialize", kwargs.get("login"), kwargs.get("server")))
            return kwargs.get("password") == PASSWORD

        def last_error(self):
            return (-6, "Authorization failed") if len(seen) < 3 else (1, "Success")

        def symbol_info_tick(self, symbol):
            return foreign_tick(1, 1.1, 1.2, 0.0, 0, 1000, 6, 0.0)

        def copy_rates_from_pos(self, symbol, timeframe, start, count):
            return np.zeros(count, dtype=np.dtype([tuple(x) for x in RATES_DESCR]))

        def shutdown(self):
            seen.append(("shutdown",))

    monkeypatch.setitem(sys.modules, "mt5linux", SimpleNamespace(MetaTrader5=Bridge))
    assert module.initialize("mt5linux://127.0.0.1:18899", login=9, password="wrong", server="B") is False
    assert module.last_error() == (-6, "Authorization failed")
    assert module.initialize("mt5linux://127.0.0.1:18899", login=9, password=PASSWORD, server="B")
    tick = module.symbol_info_tick("EURUSD")
    assert type(tick) is t.Tick and tick.ask == 1.2
    rates = module.copy_rates_from_pos("EURUSD", module.TIMEFRAME_H1, 0, 4)
    assert rates.dtype == t.RATES_DTYPE and rates.shape == (4,)
    assert seen[:2] == [("connect", "127.0.0.1", 18899), ("initialize", 9, "B")]


# ---------------------------------------------------------------------------------------- properties
_specs = st.one_of(st.none(), st.sampled_from(["sim://127.0.0.1:1", "mt5linux://h:2", "mt5", ""]))
_paths = st.one_of(st.none(), st.sampled_from(["C:/MT5/terminal64.exe", "sim://10.0.0.1:3", "mt5linux://x:4"]))


@given(path=_paths, terminal=_specs, default=_specs)
def test_the_terminal_is_the_first_that_names_one(path, terminal, default):
    from mas.mt5.session import choose_terminal

    spec, exe = choose_terminal(path, terminal, default)
    candidates = [terminal, path if path and "://" in path else None, default, "mt5"]
    assert spec == next(x for x in candidates if x)
    assert exe == (None if spec == path else path)  # a URL given as path is not an executable


@given(login=st.one_of(st.none(), st.integers(1, 5)), password=st.one_of(st.none(), st.text(max_size=3)),
       server=st.one_of(st.none(), st.text(max_size=3)), default_login=st.one_of(st.none(), st.integers(1, 5)))
def test_the_default_password_only_goes_with_the_default_login(login, password, server, default_login):
    from mas.mt5.session import Defaults, choose_credentials

    defaults = Defaults(login=default_login, password="default-pw", server="default-server")
    got_login, got_password, got_server = choose_credentials(login, password, server, defaults)
    assert got_login == (login if login is not None else default_login)
    assert got_server == (server if server is not None else "default-server")
    if password is not None:
        assert got_password == password
    else:
        assert got_password == ("default-pw" if got_login is not None and got_login == default_login else None)
    assert "default-pw" not in repr(defaults)


@given(code=st.one_of(st.none(), st.integers(-300, 300)))
def test_exit_status_follows_sys_exit(code):
    from mas.mt5.run import exit_status

    assert exit_status(code) == (0 if code is None else code)
