"""Format detection and `mas data import` for every format; missing bars name the download command."""

from __future__ import annotations

from datetime import datetime

import pytest
from typer.testing import CliRunner

from mas.cli.data import app
from mas.data.importers import detect_format, import_file
from mas.data.store import MissingDataError, load_bars
from mas.data.tick_store import load_ticks

from .conftest import MT5_HEADER, write_mt5_export
from .dukascopy_encoder import datafeed_path, encode_ticks, write_datafeed_file
from .test_mt5_csv import GOOD_ROWS

runner = CliRunner()


def write(path, lines):
    path.write_text("\n".join(lines) + "\n")
    return path


def test_formats_are_detected_from_name_and_first_line(tmp_path):
    assert detect_format(write_mt5_export(tmp_path / "a.csv", GOOD_ROWS)) == "mt5"
    assert detect_format(write(tmp_path / "b.csv", ["20240102 170000;1.1;1.2;1.0;1.1;0"])) == "histdata"
    assert detect_format(write(tmp_path / "c.csv", ["20240102 170000123,1.1,1.2,0"])) == "histdata"
    assert detect_format(tmp_path / "whatever.bi5") == "dukascopy"
    foreign = write(tmp_path / "d.csv", ["Date,Open,High,Low,Close", "2024-01-02,1,2,0.5,1"])
    assert detect_format(foreign, "time=Date,open=Open,high=High,low=Low,close=Close") == "csv"
    with pytest.raises(ValueError, match=r"cannot tell the file's format from its first line 'Date,Open.*--format"):
        detect_format(foreign)


def test_utf16_mt5_export_is_detected(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_bytes("\r\n".join([MT5_HEADER, *GOOD_ROWS]).encode("utf-16"))
    assert detect_format(path) == "mt5"
    assert import_file(path, "EURUSD", "M1").rows_stored == 3


def test_timeframe_rules(tmp_path):
    with pytest.raises(ValueError, match="a timeframe is required to import MT5 bars"):
        import_file(write_mt5_export(tmp_path / "a.csv", GOOD_ROWS), "EURUSD")
    ticks = write(tmp_path / "t.csv", ["20240102 170000123,1.1,1.2,0"])
    with pytest.raises(ValueError, match="this is a tick file.*leave out --timeframe or pass M1"):
        import_file(ticks, "EURUSD", "H1")
    assert import_file(ticks, "EURUSD", "M1").timeframe == "TICKS"


def test_import_command_for_each_format(tmp_path):
    histdata = write(tmp_path / "DAT_ASCII_EURUSD_M1_2024.csv", ["20240102 170000;1.1;1.2;1.0;1.1;0"])
    result = runner.invoke(app, ["import", str(histdata), "--symbol", "EURUSD"])
    assert result.exit_code == 0, result.output
    assert "(histdata) as EURUSD M1" in result.output and "2024-01-02 22:00 .. 2024-01-02 22:00 UTC" in result.output

    csv = write(tmp_path / "bars.csv", ["Date;Close;Open;High;Low", "2024-01-03 10:00;1.15;1.1;1.2;1.0"])
    result = runner.invoke(
        app,
        [
            "import",
            str(csv),
            "-s",
            "GBPUSD",
            "-t",
            "H1",
            "--columns",
            "time=Date,open=Open,high=High,low=Low,close=Close",
            "--tz-offset",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "(csv) as GBPUSD H1" in result.output and "2024-01-03 09:00" in result.output

    bi5 = write_datafeed_file(
        tmp_path, datafeed_path("USDJPY", 2024, 1, 3, "10h_ticks.bi5"), encode_ticks([(5, 141_236, 141_230, 1.0, 1.0)])
    )
    result = runner.invoke(app, ["import", str(bi5), "-s", "USDJPY"])
    assert result.exit_code == 0, result.output
    assert "(dukascopy) as USDJPY TICKS" in result.output
    assert "ticks:        1 day file(s), 1 written: 1 ticks new" in result.output
    assert "M1 bars:" in result.output and "1 new" in result.output
    assert load_ticks("USDJPY")["bid"].tolist() == [141.23]

    bad = runner.invoke(app, ["import", str(csv), "-s", "GBPUSD", "-t", "H1"])
    assert bad.exit_code == 2 and "cannot tell the file's format" in bad.output
    bad = runner.invoke(app, ["import", str(csv), "-s", "GBPUSD", "-t", "H1", "--format", "xml"])
    assert bad.exit_code == 2 and "'xml' is not one of mt5, histdata, dukascopy, csv" in bad.output
    bad = runner.invoke(app, ["import", str(csv), "-s", "GBPUSD", "-t", "H1", "--columns", "time=Date,open=Open"])
    assert bad.exit_code == 2 and "--columns: map time, open, high, low and close" in bad.output


def test_missing_bars_name_the_import_and_download_commands():
    with pytest.raises(MissingDataError) as caught:
        load_bars("GBPUSD", "H1", datetime(2024, 1, 2), datetime(2024, 1, 5, 12))
    message = str(caught.value)
    assert "No GBPUSD H1 bars between 2024-01-02 00:00 and 2024-01-05 12:00 UTC." in message
    assert "mas data import FILE --symbol GBPUSD --timeframe H1" in message
    assert "mas data download GBPUSD --source dukascopy --from 2024-01-02 --to 2024-01-05 --timeframe M1" in message
