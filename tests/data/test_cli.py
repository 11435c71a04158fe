"""``mas data import`` and ``mas data list`` through typer's test runner."""

from __future__ import annotations

from typer.testing import CliRunner

from mas.cli.data import app
from mas.data.store import load_bars

from .test_mt5_csv import GOOD_ROWS, write_mt5_export

runner = CliRunner()


def test_import_prints_the_report_and_stores_the_bars(tmp_path):
    rows = [*GOOD_ROWS, GOOD_ROWS[0], "2024.01.02\t00:05:00\t1.1\t1.0\t1.2\t1.1\t5\t0\t5"]
    path = write_mt5_export(tmp_path / "EURUSD_M1.csv", rows)
    result = runner.invoke(
        app, ["import", str(path), "--symbol", "eurusd", "--timeframe", "M1", "--tz-offset", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "as EURUSD M1" in result.output
    assert "rows read:    5" in result.output
    assert "rows stored:  3" in result.output
    assert "1 rows repeating an earlier time" in result.output and "line(s) 5" in result.output
    assert "inverted candles" in result.output and "line(s) 6" in result.output
    assert len(load_bars("EURUSD", "M1")) == 3


def test_import_errors_exit_2_with_a_message_and_no_traceback(tmp_path):
    bad = write_mt5_export(tmp_path / "bad.csv", [*GOOD_ROWS, "2024.01.02\t00:03:00\t1.1"])
    cases = [
        (["import", str(bad), "--symbol", "EURUSD", "--timeframe", "M1"], "bad.csv:5: expected 9 fields"),
        (["import", str(tmp_path / "nope.csv"), "--symbol", "EURUSD", "--timeframe", "M1"], "No such file"),
        (["import", str(bad), "--symbol", "EURUSD", "--timeframe", "H5"], "not a MetaTrader 5 timeframe"),
        (["import", str(bad), "--symbol", "EUR/USD", "--timeframe", "M1"], "not a valid symbol"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert message in result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_list_shows_user_and_bundled_datasets(tmp_path):
    runner.invoke(
        app, ["import", str(write_mt5_export(tmp_path / "m1.csv", GOOD_ROWS)), "-s", "GBPUSD", "-t", "M1"]
    )
    result = runner.invoke(app, ["list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    gbp = next(line for line in lines if "GBPUSD" in line)
    assert "M1" in gbp and "2024-01-02 00:00" in gbp and "bid" in gbp and "yes" in gbp
    h1 = next(line for line in lines if "EURUSD" in line and " H1 " in line)
    assert "2017-01-01 22:00" in h1 and "6225" in h1 and "ask" in h1 and "bundled sample" in h1
