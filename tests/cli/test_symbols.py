"""``mas symbols add|list|show|remove|suffix``: the commands as a user types them, carefully and not."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from typer.testing import CliRunner

from mas.cli import app
from mas.data import symbol_file as sf
from mas.data.store import load_bars, save_bars
from mas.sim.symbols import resolve_spec

runner = CliRunner()
US30 = ["US30", "--base", "USD", "--profit", "USD", "--digits", "1", "--contract-size", "1", "--calc-mode", "cfd",
        "--description", "Dow Jones 30 CFD"]


def run(*args: str):
    result = runner.invoke(app, ["symbols", *args])
    return result, result.output + (result.stderr if result.stderr_bytes is not None else "")


def assert_refused(result, text: str, *words: str) -> None:
    assert result.exit_code == 2, text
    assert "Traceback" not in text
    for word in words:
        assert word in " ".join(text.split()), text


def test_add_show_list_remove_a_symbol():
    result, text = run("add", *US30)
    assert result.exit_code == 0, text
    assert f"symbol US30 saved in {sf.symbols_path()}" in text
    result, text = run("show", "us30")
    assert result.exit_code == 0, text
    lines = text.splitlines()
    assert lines[0] == "US30 (user)"
    for line in ("point = 0.1", "digits = 1", "contract_size = 1", "calc_mode = cfd", "margin = USD",
                 "description = Dow Jones 30 CFD"):
        assert line in lines
    result, text = run("list")
    assert result.exit_code == 0 and "US30" in text and "EURUSD" in text and "built-in" in text
    result, text = run("list", "--group", "*JPY*")
    listed = [line.split()[0] for line in text.splitlines() if line.strip().endswith(("built-in", "user"))]
    assert listed == ["USDJPY", "EURJPY", "GBPJPY", "AUDJPY", "CHFJPY", "CADJPY", "NZDJPY"]
    result, text = run("add", *US30[:-2], "--description", "Dow")
    assert "symbol US30 replaced" in text
    result, text = run("remove", "US30")
    assert result.exit_code == 0 and "symbol US30 removed" in text
    result, text = run("show", "US30")
    assert_refused(result, text, "'US30' is not a built-in symbol", "mas symbols add US30")


def test_like_copies_a_spec_and_a_built_in_name_says_it_overrides():
    result, text = run("add", "EURUSD3", "--like", "EURUSD", "--digits", "3")
    assert result.exit_code == 0, text
    spec = resolve_spec("EURUSD3")
    assert (spec.digits, spec.base, spec.profit, spec.contract_size, spec.swap_long) == (3, "EUR", "USD", 1e5, -6.5)
    result, text = run("add", "EURUSD", "--spread", "3")
    assert result.exit_code == 0 and "EURUSD is a built-in symbol" in text and "mas symbols remove EURUSD" in text
    assert resolve_spec("EURUSD").spread == 3
    result, text = run("show", "EURUSD")
    assert text.splitlines()[0] == "EURUSD (user over built-in)"
    result, text = run("list")
    assert "user over built-in" in text and max(len(line) for line in text.splitlines()) <= 80
    result, text = run("remove", "EURUSD")
    assert "the built-in spec applies again" in text and resolve_spec("EURUSD").spread == 10
    result, text = run("remove", "GBPUSD")
    assert_refused(result, text, "no spec of GBPUSD", "a built-in symbol stays")


def test_careless_input_is_refused_and_the_file_is_unchanged():
    run("add", *US30)
    before = sf.symbols_path().read_bytes()
    cases = [
        (["add", "US30", "--contract-size", "-1", "--base", "USD", "--profit", "USD", "--digits", "1"],
         ["symbol US30: contract_size = -1.0 is out of range", "allowed: a number above 0"]),
        (["add", "US30", "--like", "EURUSD", "--calc-mode", "index"],
         ["calc_mode = 'index'", "allowed: forex, forex_no_leverage, cfd, cfdindex, cfdleverage, exch_stocks"]),
        (["add", "US30", "--like", "EURUSD", "--set", "leverage=100"], ["unknown field 'leverage'", "known fields:"]),
        (["add", "US30", "--like", "EURUSD", "--set", "trade_mode=sometimes"], ["trade_mode", "longonly"]),
        (["add", "GER40", "--base", "EUR"], ["GER40 is not built in", "missing: profit, digits, contract_size"]),
        (["add", "US30", "--like", "NOSUCH"], ["'NOSUCH' is not a built-in symbol"]),
        (["add", "US 30", "--like", "EURUSD"], ["symbol name 'US 30'"]),
        (["suffix", ".m", "--remove"], ["give a SUFFIX, or --remove"]),
        (["suffix", "a b"], ["suffixes.* = 'a b'", "'.m', 'pro' or '_i'"]),
        (["show", "EURUSDD"], ["did you mean 'EURUSD'?"]),
    ]
    for args, words in cases:
        result, text = run(*args)
        assert_refused(result, text, *words)
    assert sf.symbols_path().read_bytes() == before


def test_a_corrupt_file_is_named_by_every_command():
    path = sf.symbols_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[symbols.US30\n")
    for args in (["list"], ["show", "EURUSD"], ["add", *US30], ["remove", "US30"], ["suffix", ".m"]):
        result, text = run(*args)
        assert_refused(result, text, f"{path}: not valid TOML")
    assert path.read_text() == "[symbols.US30\n"


def test_from_mt5_csv(tmp_path):
    csv_file = tmp_path / "symbols.csv"
    csv_file.write_text("name,currency_base,currency_profit,digits,trade_contract_size,trade_calc_mode\n"
                        "US30.cash,USD,USD,2,1.0,3\n")
    result, text = run("add", "US30.cash", "--from-mt5-csv", str(csv_file), "--spread", "200")
    assert result.exit_code == 0, text
    spec = resolve_spec("US30.CASH")
    assert (spec.digits, spec.contract_size, spec.calc_mode, spec.spread) == (2, 1.0, 3, 200)
    result, text = run("add", "GER40", "--from-mt5-csv", str(csv_file))
    assert_refused(result, text, "no row named GER40")
    result, text = run("add", "GER40", "--from-mt5-csv", str(tmp_path / "none.csv"))
    assert_refused(result, text, "cannot read it")


def test_suffix_maps_broker_names():
    result, text = run("suffix", ".m")
    assert result.exit_code == 0, text
    result, text = run("suffix", "pro", "--profile", "icm")
    assert sf.broker_symbol("EURUSD") == "EURUSD.m" and sf.broker_symbol("EURUSD", "icm") == "EURUSDpro"
    result, text = run("show", "EURUSD.m")
    assert text.splitlines()[0] == "EURUSD.M (the spec of EURUSD under a broker suffix)"
    result, text = run("list")
    assert "broker suffixes: * -> .m, icm -> pro" in text
    result, text = run("suffix", "--remove", "--profile", "icm")
    assert result.exit_code == 0 and sf.broker_symbol("EURUSD", "icm") == "EURUSD.m"


def test_a_user_symbol_backtests_from_the_command_line_in_a_real_process(tmp_path):
    save_bars("EURX", "H1", load_bars("EURUSD", "H1").rates, price_side="bid", has_spread=False)
    out = tmp_path / "r.json"
    env = os.environ.copy()
    mas_command = [sys.executable, "-m", "mas"]
    added = subprocess.run([*mas_command, "symbols", "add", "EURX", "--like", "EURUSD", "--digits", "3",
                            "--contract-size", "1000"], capture_output=True, text=True, timeout=120, env=env)
    assert added.returncode == 0, added.stderr
    done = subprocess.run([*mas_command, "backtest", "ma", "--symbol", "EURX", "--timeframe", "H1", "--from",
                           "2017-01-01", "--to", "2017-06-30", "--json", str(out)],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    trades = [t for t in json.loads(out.read_text())["trades"] if not t["is_open"]]
    assert trades and {t["symbol"] for t in trades} == {"EURX"}
    for trade in trades:
        assert round(trade["open_price"], 3) == trade["open_price"]
        sign = 1 if trade["direction"] == "buy" else -1
        expected = sign * (trade["close_price"] - trade["open_price"]) * 1000 * trade["volume"]
        assert abs(trade["profit"] - expected) < 0.011
