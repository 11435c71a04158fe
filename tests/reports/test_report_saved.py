"""A result saved by ``mas backtest --json`` reads back into the same result, and ``mas report`` renders it."""

from __future__ import annotations

import json
import re
from datetime import datetime

import numpy as np
import pytest
from typer.testing import CliRunner

from mas.cli import app
from mas.reports.chart import render_trade_chart_html
from mas.reports.data_report import build_data_report
from mas.reports.metrics import compute_metrics
from mas.reports.saved_result import (
    METRIC_KEYS,
    SavedResultError,
    load_saved_result,
    result_document,
    result_from_document,
)
from mas.strategy.builtins import BUILTIN_STRATEGIES

from .helpers import BracketStrategy, make_result, plotly_figures, run_backtest, trade

runner = CliRunner()


@pytest.fixture(scope="module")
def bracket_result(tmp_path_factory):
    """A real backtest on the bundled sample whose trades exit on SL and TP."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAS_HOME", str(tmp_path_factory.mktemp("mas_home")))
        return run_backtest(BracketStrategy(), spread=12, commission=3.5)


def _text(output: str) -> str:
    return " ".join(output.split())  # rich wraps long lines in the test runner


def _through_json(document: dict) -> dict:
    return json.loads(json.dumps(document, indent=1, default=str))  # as the CLI writes it


def test_round_trip_gives_back_the_result(bracket_result):
    original = bracket_result
    document = _through_json(result_document(original))
    rebuilt, notes = result_from_document(document)
    assert notes == []
    assert rebuilt.settings == original.settings
    assert rebuilt.initial_capital == original.initial_capital == 10_000.0
    assert rebuilt.currency == original.currency == "USD"
    assert [t.as_dict() for t in rebuilt.trades] == [t.as_dict() for t in original.trades]
    reasons = {t.exit_reason for t in rebuilt.trades}
    assert {"sl", "tp"} <= reasons and all(t.sl > 0 and t.tp > 0 for t in rebuilt.trades)
    assert np.array_equal(rebuilt.equity_times, original.equity_times)
    assert np.abs(rebuilt.equity - original.equity).max() <= 0.005  # saved to the cent
    # the candles come back from the store exactly as replayed (bid side, 12-point spread)
    assert list(rebuilt.bars) == ["EURUSD"]
    assert np.array_equal(rebuilt.bars["EURUSD"], original.bars["EURUSD"])
    # a second save is the same document
    again = _through_json(result_document(rebuilt))
    assert again["settings"] == document["settings"] and again["trades"] == document["trades"]
    assert again["equity"] == document["equity"]
    for key, value in document["metrics"].items():
        assert again["metrics"][key] == pytest.approx(value, rel=1e-6, abs=1e-9), key
    # the MT5 figures come back too (equity saved to the cent; deals counted from the trades)
    for key, value in document["tester_metrics"].items():
        if isinstance(value, float):
            assert again["tester_metrics"][key] == pytest.approx(value, rel=1e-6, abs=0.01), key
        else:
            assert again["tester_metrics"][key] == value, key


def test_metrics_block_is_the_data_reports_performance_metrics_plus_total_profit_loss(bracket_result):
    document = result_document(bracket_result)
    performance = build_data_report(bracket_result)["data"]["performance_metrics"]
    assert set(document["metrics"]) == set(performance) | {"total_profit_loss"} == set(METRIC_KEYS)
    full = compute_metrics(bracket_result)
    assert document["metrics"] == {k: full[k] for k in METRIC_KEYS}
    assert document["metrics"]["total_profit_loss"] == pytest.approx(
        sum(t.net_profit for t in bracket_result.trades if not t.is_open)
    )


def test_reports_from_the_saved_result_match_the_originals(bracket_result):
    rebuilt, _ = result_from_document(_through_json(result_document(bracket_result)))
    original = plotly_figures(render_trade_chart_html(bracket_result, "s"))[0]["data"]
    again = plotly_figures(render_trade_chart_html(rebuilt, "s"))[0]["data"]
    assert [t["name"] for t in again] == [t["name"] for t in original]
    assert again[0]["type"] == "candlestick" and again[0] == original[0]  # same candles
    assert {"SL", "TP"} <= {t["name"] for t in again}
    sl = next(t for t in again if t["name"] == "SL")
    assert sl == next(t for t in original if t["name"] == "SL")


def test_open_position_at_the_end_survives_the_round_trip():
    result = run_backtest(BUILTIN_STRATEGIES["ma"](), to="2017-03-31")
    open_trades = [t for t in result.trades if t.is_open]
    assert len(open_trades) == 1
    rebuilt, _ = result_from_document(_through_json(result_document(result)))
    (again,) = [t for t in rebuilt.trades if t.is_open]
    assert again.as_dict() == open_trades[0].as_dict() and again.close_time is None
    assert compute_metrics(rebuilt)["open_trades"] == 1


def test_a_result_without_capital_or_symbol_still_round_trips():
    times = 1_483_315_200 + np.arange(48) * 3600
    trades = [trade(1, 12.5, int(times[2]), int(times[9])), trade(2, -2.0, int(times[20]), None, is_open=True)]
    result = make_result(times, np.linspace(5_000, 5_010, 48), trades, initial=5_000.0,
                         settings={"source": "live account history"})
    result.currency = "EUR"
    document = _through_json(result_document(result))
    assert document["settings"] == {"source": "live account history", "capital": 5_000.0, "currency": "EUR"}
    rebuilt, notes = result_from_document(document)
    assert rebuilt.initial_capital == 5_000.0 and rebuilt.currency == "EUR" and rebuilt.bars == {}
    assert notes == ["the settings name no symbol and timeframe: the trade chart has no candles"]
    # aware UTC times come back as naive UTC (the backtest's own convention)
    naive = [{k: v.replace(tzinfo=None) if isinstance(v, datetime) else v for k, v in t.as_dict().items()}
             for t in trades]
    assert [t.as_dict() for t in rebuilt.trades] == naive


def test_bars_missing_from_the_store_leave_a_note_and_no_candles(bracket_result):
    document = _through_json(result_document(bracket_result))
    document["settings"]["symbol"] = "USDCHF"  # nothing stored for it
    rebuilt, notes = result_from_document(document)
    assert rebuilt.bars == {}
    assert len(notes) == 1 and notes[0].startswith("no stored H1 bars of USDCHF")
    html = render_trade_chart_html(rebuilt, "s")
    assert "candlestick" not in {t["type"] for t in plotly_figures(html)[0]["data"]}


def test_a_changed_store_is_noticed(bracket_result):
    document = _through_json(result_document(bracket_result))
    document["settings"]["from"] = "2017-06-01 00:00:00"  # the store now gives fewer bars than were replayed
    rebuilt, notes = result_from_document(document)
    assert len(rebuilt.bars["EURUSD"]) < len(bracket_result.bars["EURUSD"])
    assert len(notes) == 1 and notes[0].startswith("the data store changed since the run")


GOOD_TRADE = {
    "open_time": "2017-01-03 04:00:00", "close_time": "2017-01-03 10:00:00", "direction": "buy", "volume": 0.1,
    "open_price": 1.0485, "close_price": 1.04, "profit": -84.4, "commission": 0.0, "swap": 0.0, "symbol": "EURUSD",
    "position_id": 1, "is_open": False, "exit_reason": "expert", "sl": 0.0, "tp": 0.0,
}
GOOD = {"settings": {"capital": 1000.0}, "metrics": {}, "trades": [GOOD_TRADE],
        "equity": [["2017-01-03 04:00:00", 1000.0]]}


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([1, 2], "expected a JSON object, got list"),
        ({"settings": {}, "trades": []}, "missing metrics, equity"),
        ({**GOOD, "settings": []}, "'settings' and 'metrics' must be objects"),
        ({**GOOD, "equity": {}}, "'trades' and 'equity' must be lists"),
        ({**GOOD, "equity": []}, "the equity curve is empty"),
        ({**GOOD, "equity": [["2017-01-03", 1.0, 2.0]]}, r"equity\[0\] is not a \[time, equity\] pair"),
        ({**GOOD, "equity": [["yesterday", 1.0]]}, r"equity\[0\]\[0\]: 'yesterday' is not a time"),
        ({**GOOD, "equity": [["2017-01-03", None]]}, r"equity\[0\]\[1\]: expected a finite number"),
        ({**GOOD, "trades": [{**GOOD_TRADE, "profit": "12"}]}, r"trades\[0\]\.profit: expected a finite number"),
        ({**GOOD, "trades": [{**GOOD_TRADE, "direction": "up"}]}, r"trades\[0\]\.direction"),
        ({**GOOD, "trades": [{**GOOD_TRADE, "close_time": None}]}, r"trades\[0\]: a closed trade needs"),
        ({**GOOD, "trades": [{"volume": 1}]}, r"trades\[0\]: missing open_time, direction"),
    ],
)
def test_documents_that_are_not_saved_results_are_rejected(document, message):
    with pytest.raises(SavedResultError, match=message):
        result_from_document(document)


def test_good_minimal_document_and_capital_fallback():
    result, notes = result_from_document(GOOD, with_bars=False)
    assert result.initial_capital == 1000.0 and len(result.trades) == 1 and notes == []
    result, notes = result_from_document({**GOOD, "settings": {}}, with_bars=False)
    assert result.initial_capital == 1000.0
    assert notes == ["no valid initial capital in the settings: the first equity point (1,000.00) is used"]


def test_load_saved_result_errors_name_the_file(tmp_path):
    with pytest.raises(SavedResultError, match=r"nope\.json: no such file"):
        load_saved_result(tmp_path / "nope.json")
    with pytest.raises(SavedResultError, match="not a file"):
        load_saved_result(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    with pytest.raises(SavedResultError, match=r"bad\.json: not valid JSON \(.* line 1, column 2\)"):
        load_saved_result(bad)
    bad.write_text('{"settings": {}}', encoding="utf-8")
    with pytest.raises(SavedResultError, match=r"bad\.json: is not a result saved by 'mas backtest --json'"):
        load_saved_result(bad)


# ----------------------------------------------------------------------------- the CLI


def test_mas_report_renders_both_reports_from_a_saved_backtest(tmp_path):
    saved = tmp_path / "run.json"
    done = runner.invoke(app, ["backtest", "ma", "--from", "2017-01-01", "--to", "2017-06-30", "--spread", "12",
                               "--json", str(saved)])
    assert done.exit_code == 0, done.output
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert set(document) == {"settings", "metrics", "trades", "equity", "tester_metrics", "balance", "margin", "orders",
                             "plots", "diagrams"}
    assert set(document["metrics"]) == set(METRIC_KEYS)
    tester = document["tester_metrics"]
    assert tester["total_trades"] == document["metrics"]["number_of_trades"] > 0
    assert tester["total_deals"] >= 2 * tester["total_trades"]
    assert tester["equity_drawdown_relative_percent"] == pytest.approx(document["metrics"]["max_drawdown"])

    out = tmp_path / "again"
    done = runner.invoke(app, ["report", str(saved), "--report-dir", str(out)])
    assert done.exit_code == 0, done.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 5  # the two pages, and the plotly.js, report script and marker script they share
    assert re.fullmatch(r"chart_EURUSD_MACrossStrategy_\d{8}-\d{6}\.html", names[0])
    assert re.fullmatch(r"kpi_EURUSD_MACrossStrategy_\d{8}-\d{6}\.html", names[1])
    assert re.fullmatch(r"mas-report-[0-9a-f]{10}\.js", names[2])
    assert re.fullmatch(r"mas-trademarkers-[0-9a-f]{10}\.js", names[3])
    assert re.fullmatch(r"plotly-[0-9.]+\.min\.js", names[4])
    text = _text(done.output)
    assert "note:" not in text and "closed trades" in text and f"report: {out}" in text
    chart = plotly_figures((out / names[0]).read_text(encoding="utf-8"))[0]["data"]
    assert chart[0]["type"] == "candlestick" and chart[0]["name"] == "EURUSD H1"
    kpi = (out / names[1]).read_text(encoding="utf-8")
    assert f"{document['metrics']['win_rate']:.1f} %" in kpi


def test_mas_report_default_directory_is_mas_report_dir(tmp_path, monkeypatch):
    saved = tmp_path / "run.json"
    assert runner.invoke(app, ["backtest", "ma", "--to", "2017-02-28", "--json", str(saved)]).exit_code == 0
    monkeypatch.setenv("MAS_REPORT_DIR", str(tmp_path / "env_reports"))
    done = runner.invoke(app, ["report", str(saved)])
    assert done.exit_code == 0, done.output
    assert len(list((tmp_path / "env_reports").glob("*.html"))) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ('{"hello": "world"}', "is not a result saved by 'mas backtest --json': missing settings"),
        ('{"settings": {}, "metrics": {}, "trades": [], "equity": []}', "the equity curve is empty"),
    ],
)
def test_mas_report_errors_exit_2_with_a_message(tmp_path, content, message):
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = runner.invoke(app, ["report", str(path), "--report-dir", str(tmp_path / "out")])
    assert done.exit_code == 2
    text = _text(done.output)
    assert text.startswith("error:") and "r.json" in text and message in text
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
