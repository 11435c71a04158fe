"""Careless input on every mas command: a non-zero exit, no traceback, the field named with its valid values
or a close match, found before the long work starts; errors in a user's strategy file show that file's
frames; --version, readable --help with an example per command; tables that fit 80 columns."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from mas.choices import check_choice, suggest
from mas.cli import app

runner = CliRunner()


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result, result.output + (result.stderr if result.stderr_bytes is not None else "")


def assert_clean_error(result, text: str, code: int = 2) -> None:
    assert result.exit_code == code, text
    assert "Traceback" not in text and not isinstance(result.exception, (KeyError, TypeError, AttributeError)), text


# ------------------------------------------------------------------------------------ bad options
def test_misspelt_strategy_parameter_gets_a_close_match():
    result, text = run("backtest", "ma", "--param", "fsat=10")
    assert_clean_error(result, text)
    assert "--param fsat" in text and "did you mean 'fast'?" in text and "slow" in text
    assert "__init__" not in text


def test_misspelt_parameter_of_a_strategy_file(tmp_path):
    strategy = tmp_path / "mine.py"
    strategy.write_text("import mas\n\nclass Mine(mas):\n    def __init__(self, period=14):\n"
                        "        super().__init__()\n        self.period = period\n")
    result, text = run("backtest", str(strategy), "--param", "perod=10")
    assert_clean_error(result, text)
    assert "did you mean 'period'?" in text and "mine.py" in text


def test_unknown_margin_mode_is_refused_and_nothing_is_saved(tmp_path):
    out = tmp_path / "r.json"
    result, text = run("backtest", "ma", "--margin-mode", "foo", "--json", str(out))
    assert_clean_error(result, text)
    assert "--margin-mode" in text and "hedging, netting" in text
    assert not out.exists()
    result, text = run("backtest", "ma", "--margin-mode", "hedgin")
    assert "did you mean 'hedging'?" in text


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--capital", "-5", "--capital: must be above 0"),
    ("--leverage", "0", "--leverage: must be above 0"),
    ("--spread", "-1", "--spread: must be 0 or more"),
    ("--engine", "turbo", "--engine"),
    ("--model", "tick", "--model: 'tick' is not valid; did you mean 'every_tick'?"),
])
def test_bad_account_options(option, value, expected):
    result, text = run("backtest", "ma", option, value)
    assert_clean_error(result, text)
    assert expected in text


def test_misspelt_builtin_name_gets_a_close_match():
    result, text = run("backtest", "macdd")
    assert_clean_error(result, text)
    assert "did you mean 'macd'?" in text


def test_optimize_refuses_a_text_value_for_a_number_before_sweeping():
    result, text = run("optimize", "ma", "--param", "fast=abc")
    assert_clean_error(result, text)
    assert "--param fast: 'abc' is not a number" in text and "optimizing" not in text


def test_optimize_names_a_misspelt_parameter_and_method():
    result, text = run("optimize", "ma", "--param", "fsat=5:10:5")
    assert_clean_error(result, text)
    assert "did you mean 'fast'?" in text and "optimizing" not in text
    result, text = run("optimize", "ma", "--param", "fast=5", "--method", "gird")
    assert_clean_error(result, text)
    assert "did you mean 'grid'?" in text


def test_bad_walk_forward_length_is_found_before_the_sweep():
    result, text = run("optimize", "ma", "--param", "fast=5:10:5", "--wf-in-sample", "6X",
                       "--wf-out-of-sample", "1M")
    assert_clean_error(result, text)
    assert "--wf-in-sample" in text and "180D" in text and "optimizing" not in text


def test_optimize_with_no_parameter_set_run_fails():
    result, text = run("optimize", "ma", "--param", "fast=20:30:5", "--param", "slow=10", "--to", "2017-02-28")
    assert_clean_error(result, text, code=1)
    assert "0 run, 3 skipped" in text and "no parameter set could be backtested" in text


def test_data_commands_refuse_a_gap_of_no_length():
    for command in (["data", "check", "EURUSD"], ["data", "list"]):
        result, text = run(*command, "--min-gap", "-5")
        assert_clean_error(result, text)
        assert "--min-gap: must be above 0" in text


def test_data_check_of_an_unknown_symbol_says_what_is_stored():
    result, text = run("data", "check", "NOSUCH")
    assert_clean_error(result, text)
    assert "no bars of NOSUCH are stored" in text and "EURUSD (H1" in text
    assert "timeframe" not in text.split("stored")[0]  # not the old "'any timeframe' is not a timeframe"
    result, text = run("data", "check", "EURUSE")
    assert "did you mean 'EURUSD'?" in text


def test_sim_serve_with_a_word_for_a_date():
    result, text = run("sim", "serve", "--from", "yesterday", "--allow-new-accounts")
    assert_clean_error(result, text)
    assert "--from: 'yesterday' is not a date" in text and "YYYY-MM-DD" in text
    assert "isoformat" not in text


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_broker_test_of_a_refused_sim_server_says_so_once(monkeypatch):
    port = _refused_port()
    result, _ = run("broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7",
                    "--port", str(port))
    assert result.exit_code == 0
    monkeypatch.setenv("MAS_PASSWORD_PAPER", "secret")
    done = subprocess.run([sys.executable, "-m", "mas", "broker", "test", "paper"], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy())
    text = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in text
    assert text.count("login failed") == 1, text
    assert "mas sim serve" in text and "mas-sdk[mt5]" not in text
    result, text = run("broker", "test", "papr")
    assert_clean_error(result, text, code=1)
    assert "did you mean 'paper'?" in text


def test_live_on_a_refused_sim_server_says_so_once(monkeypatch):
    run("broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7",
        "--port", str(_refused_port()))
    monkeypatch.setenv("MAS_PASSWORD_PAPER", "secret")
    done = subprocess.run([sys.executable, "-m", "mas", "live", "ma", "--profile", "paper"], capture_output=True,
                          text=True, timeout=120, env=os.environ.copy())
    text = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in text
    assert text.count("Connection refused") == 1, text
    assert "is `mas sim serve` started on that port" in text and "mas-sdk[mt5]" not in text


def test_live_with_a_misspelt_profile_stops_before_connecting():
    run("broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7")
    result, text = run("live", "ma", "--profile", "papr")
    assert_clean_error(result, text, code=1)
    assert "did you mean 'paper'?" in text and "login failed" not in text


@given(st.lists(st.text(alphabet="abcdefghij_", min_size=1, max_size=8), min_size=1, max_size=5, unique=True),
       st.data())
def test_check_choice_accepts_every_valid_value_in_any_case_and_names_the_valid_ones(valid, data):
    pick = data.draw(st.sampled_from(valid))
    assert check_choice("--x", pick.upper(), valid) in valid
    wrong = data.draw(st.text(alphabet="klmnop", min_size=1, max_size=6))
    with pytest.raises(ValueError, match="--x") as info:
        check_choice("--x", wrong, valid)
    assert "valid: " + ", ".join(valid) in str(info.value)


def test_suggest_picks_the_close_name():
    assert suggest("fsat", ["fast", "slow"]) == "did you mean 'fast'? valid: fast, slow"
    assert suggest("zzz", ["fast", "slow"]) == "valid: fast, slow"
    assert suggest("tick", ["ohlc", "every_tick"]).startswith("did you mean 'every_tick'?")
    assert suggest("t", ["every_tick", "real_ticks"]) == "valid: every_tick, real_ticks"  # two hold it


# ------------------------------------------------------------------------------ user strategy errors
KEY_ERROR = textwrap.dedent("""\
    import mas


    class MAS_Client(mas):
        def receive_bars(self, symbol, data, is_end):
            price = data["closee"]
            return price
""")


def _strategy(tmp_path: Path, name: str, source: str) -> Path:
    path = tmp_path / name
    path.write_text(source)
    return path


def test_key_error_in_receive_bars_shows_the_users_line(tmp_path):
    path = _strategy(tmp_path, "my_strategy.py", KEY_ERROR)
    for command in (["backtest", str(path), "--to", "2017-01-10"],):
        result, text = run(*command)
        assert_clean_error(result, text, code=1)
        assert f'File "{path}", line 6, in receive_bars' in text
        assert 'price = data["closee"]' in text and "KeyError: 'closee'" in text
        assert "did you mean 'close'?" in text
        assert "mas/cli.py" not in text and "session.py" not in text  # only the user's frames


def test_traceback_option_shows_every_frame(tmp_path):
    path = _strategy(tmp_path, "my_strategy.py", KEY_ERROR)
    result, text = run("backtest", str(path), "--to", "2017-01-10", "--traceback")
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in text and "mas" in text and 'data["closee"]' in text


def test_syntax_error_in_a_strategy_file_shows_the_line_not_the_cli(tmp_path):
    path = _strategy(tmp_path, "broken.py", "import mas\n\nclass MAS_Client(mas):\n"
                                            "    def receive_bars(self, symbol, data, is_end)\n        pass\n")
    for command in (["backtest", str(path)], ["optimize", str(path), "--param", "x=1"],
                    ["live", str(path), "--profile", "paper"]):
        if command[0] == "live":
            run("broker", "add", "paper", "--terminal", "sim", "--server", "MAS-Sim", "--login", "7")
        result, text = run(*command)
        assert_clean_error(result, text, code=1)
        assert f"SyntaxError in your strategy {path}, line 4" in text, command
        assert "def receive_bars(self, symbol, data, is_end)" in text and "expected ':'" in text
        assert "mas/cli.py" not in text


def test_error_at_import_of_the_file_shows_the_users_frame(tmp_path):
    path = _strategy(tmp_path, "typo.py", "import mas\nimport math\n\nPERIOD = math.sqr(4)\n")
    result, text = run("backtest", str(path))
    assert_clean_error(result, text, code=1)
    assert "line 4, in <module>" in text and "PERIOD = math.sqr(4)" in text and "AttributeError" in text


# ------------------------------------------------------------------------------ version, help, tables
def test_version():
    result, text = run("--version")
    assert result.exit_code == 0
    from importlib.metadata import version

    assert text.startswith(f"mas {version('mas-sdk')}")


def _command_paths(command, prefix=()):
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*prefix, name))


def test_every_help_has_readable_metavars_and_an_example():
    import typer

    root = typer.main.get_command(app)
    paths = [p for p in _command_paths(root) if p]
    assert len(paths) > 20
    for path in paths:
        result, text = run(*path, "--help")
        assert result.exit_code == 0, path
        for label in ("<bool>", "<list[str]>", "<str>", "<int>", "<float>", "<path>"):
            assert label not in text, (path, label)
        if not hasattr(root.commands.get(path[0]), "commands") or len(path) > 1:
            assert "Example: mas " + " ".join(path) in " ".join(text.split()), path


def _lines_fit(text: str, width: int = 80) -> None:
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert not too_long, too_long


def _mas(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "80", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-m", "mas", *args], capture_output=True, text=True, timeout=300, env=env,
                          cwd=cwd)


def test_data_list_fits_80_columns():
    done = _mas("data", "list")
    assert done.returncode == 0, done.stderr
    _lines_fit(done.stdout)
    assert "EURUSD" in done.stdout and "bundled" in done.stdout and "2017-01-01" in done.stdout


def test_optimizer_and_walk_forward_tables_fit_80_columns():
    done = _mas("optimize", "macd", "--param", "fast=8,12", "--param", "slow=26,30", "--param", "signal=9,12",
                "--wf-in-sample", "4M", "--wf-out-of-sample", "2M")
    assert done.returncode == 0, done.stderr
    _lines_fit(done.stdout)
    assert "fast=" in done.stdout and "{'fast'" not in done.stdout.split("walk-forward (")[1]
    assert "Sharpe" in done.stdout and "return %" in done.stdout


def test_backtest_table_is_titled_by_the_strategy_file(tmp_path):
    path = _strategy(tmp_path, "buy_and_hold.py", textwrap.dedent("""\
        import mas


        class MAS_Client(mas):
            def receive_bars(self, symbol, data, is_end):
                if not is_end and not self.get_positions():
                    self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.01,
                                     "backtest_toggle": True})
    """))
    saved = tmp_path / "r.json"
    done = _mas("backtest", str(path), "--timeframe", "D1", "--json", str(saved))
    assert done.returncode == 0, done.stderr
    _lines_fit(done.stdout)
    assert "buy_and_hold.py on EURUSD D1" in done.stdout and "MAS_Client on" not in done.stdout
    result, text = run("report", str(saved), "--report-dir", str(tmp_path / "reports"))
    assert result.exit_code == 0 and "buy_and_hold.py on EURUSD D1" in text


def test_outputs_that_cannot_be_written_are_refused_before_the_backtest(tmp_path):
    result, text = run("backtest", "ma", "--json", str(tmp_path))
    assert_clean_error(result, text)
    assert "--json" in text and "is a folder" in text and "closed trades" not in text
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result, text = run("optimize", "ma", "--param", "fast=5", "--report-dir", str(blocker / "sub"))
    assert_clean_error(result, text)
    assert "--report-dir" in text and "optimizing" not in text
    result, text = run("optimize", "ma", "--param", "fast=5", "--metric", "sharpe")
    assert_clean_error(result, text)
    assert "did you mean 'sharpe_ratio'?" in text
