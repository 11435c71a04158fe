"""The mas command: demo, backtest --json / --report-dir, strategy files, errors."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from typer.testing import CliRunner

from mas.cli import app

runner = CliRunner()


def test_demo_prints_a_summary_and_writes_both_reports(tmp_path):
    result = runner.invoke(app, ["demo", "--report-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "closed trades" in result.output and "final equity" in result.output
    reports = sorted(p.name for p in tmp_path.glob("*.html"))
    assert len(reports) == 2 and any(n.startswith("kpi_EURUSD") for n in reports)


def test_backtest_json_has_the_documented_shape(tmp_path):
    out = tmp_path / "result.json"
    result = runner.invoke(app, ["backtest", "ma", "--symbol", "EURUSD", "--timeframe", "H1", "--from", "2017-01-01",
                                 "--to", "2017-06-30", "--param", "fast=10", "--param", "slow=30", "--spread", "12",
                                 "--commission", "3.5", "--json", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert set(doc) == {"settings", "metrics", "tester_metrics", "trades", "equity", "margin", "orders", "balance",
                        "plots", "diagrams"}  # the last three added by issue 17 (docs/metrics.md)
    assert doc["tester_metrics"]["total_trades"] == doc["metrics"]["number_of_trades"] > 0
    assert doc["settings"]["spread"] == 12 and doc["settings"]["commission"] == 3.5
    assert {"win_rate", "sharpe_ratio", "max_drawdown", "total_profit_loss"} <= set(doc["metrics"])
    trade = doc["trades"][0]
    assert {"open_time", "close_time", "direction", "volume", "open_price", "close_price", "profit", "commission",
            "swap"} <= set(trade)
    assert trade["commission"] == -0.7  # 0.1 lot, 3.5 per lot per side, both sides
    bars = doc["equity"]
    assert len(bars) > 3000 and bars[0][0].startswith("2017-01-0")
    closed = [t for t in doc["trades"] if not t["is_open"]]
    total = sum(t["profit"] + t["commission"] + t["swap"] for t in closed)
    assert abs(doc["metrics"]["total_profit_loss"] - total) < 0.02


def test_backtest_of_a_strategy_file(tmp_path):
    strategy = tmp_path / "my_strategy.py"
    strategy.write_text(textwrap.dedent("""
        import mas

        class Mine(mas):
            def receive_bars(self, symbol, data, is_end):
                if is_end:
                    return
                if not self.get_positions():
                    self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.01,
                                     "backtest_toggle": True})
    """))
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["backtest", str(strategy), "--timeframe", "D1", "--json", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["settings"]["strategy"] == "Mine" and doc["settings"]["timeframe"] == "D1"
    assert len(doc["equity"]) > 200


def test_bad_target_and_bad_parameters_exit_2_with_a_message(tmp_path):
    result = runner.invoke(app, ["backtest", "nonsense"])
    assert result.exit_code == 2 and "built-in" in result.output
    result = runner.invoke(app, ["backtest", "ma", "--param", "fast=50", "--param", "slow=20"])
    assert result.exit_code == 2 and "fast" in result.output
    result = runner.invoke(app, ["backtest", "ma", "--symbol", "USDCHF"])
    assert result.exit_code == 2 and "USDCHF" in result.output and "mas data import" in result.output


def test_python_dash_m_mas():
    done = subprocess.run([sys.executable, "-m", "mas", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "backtest" in done.stdout and "data" in done.stdout


def test_backtest_text_strategy_and_model_option(tmp_path):
    out = tmp_path / "text.json"
    result = runner.invoke(app, ["backtest", "--text", "buy when RSI(14) < 30, sell when RSI > 70, stop loss 30 pips",
                                 "--to", "2017-06-30", "--json", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert doc["settings"]["strategy"] == "TextStrategy" and doc["settings"]["model"] == "open_prices"
    assert doc["trades"] and all(t["direction"] == "buy" for t in doc["trades"])
    assert any(t["exit_reason"] == "sl" for t in doc["trades"])  # the 30-pip stop travels with the orders
    result = runner.invoke(app, ["backtest", "--text", "buy when the moon is full"])
    assert result.exit_code == 2 and '"moon"' in result.output
    result = runner.invoke(app, ["backtest", "ma", "--text", "buy when RSI < 30"])
    assert result.exit_code == 2 and "not both" in result.output
    result = runner.invoke(app, ["backtest", "ma", "--model", "ohlc", "--from", "2017-01-02", "--to", "2017-01-03"])
    assert result.exit_code == 2 and "M1" in result.output  # no M1 bars stored for the 'ohlc' model


def _json_run(tmp_path, name, args):
    out = tmp_path / f"{name}.json"
    result = runner.invoke(app, ["backtest", *args, "--json", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, json.loads(out.read_text())


def test_engines_give_the_same_backtest(tmp_path):
    """auto picks the vectorized fast path for built-ins and spec/text strategies; its result is the event
    engine's: the same trades, equity and metrics (only the engine's name and the time taken differ)."""
    for label, args in [
        ("ma", ["ma", "--param", "fast=8", "--param", "slow=21", "--spread", "12", "--commission", "3.5"]),
        ("text", ["--text", "buy when RSI(14) crosses above 30, sell when RSI(14) crosses above 70, "
                            "stop loss 40 pips, take profit 80 pips", "--to", "2017-08-31"]),
    ]:
        event_output, event = _json_run(tmp_path, f"{label}-event", [*args, "--engine", "event"])
        auto_output, auto = _json_run(tmp_path, f"{label}-auto", args)
        assert "event (" in event_output and "vectorized fast path" in auto_output
        assert event["settings"]["engine"] == "event" and auto["settings"]["engine"] == "fast"
        assert len(event["trades"]) > 10
        assert auto["trades"] == event["trades"]
        assert auto["equity"] == event["equity"]
        assert auto["metrics"] == event["metrics"]
        same = {k: v for k, v in event["settings"].items() if k not in ("engine", "elapsed_seconds")}
        assert {k: auto["settings"][k] for k in same} == same


def test_engine_fast_refuses_what_it_cannot_run_exactly(tmp_path):
    strategy = tmp_path / "mine.py"
    strategy.write_text("import mas\n\nclass Mine(mas):\n    pass\n")
    result = runner.invoke(app, ["backtest", str(strategy), "--engine", "fast"])
    assert result.exit_code == 2 and "strategy file (.py) runs on the event engine" in result.output
    result = runner.invoke(app, ["backtest", "ma", "--engine", "turbo"])
    assert result.exit_code == 2 and "--engine: 'turbo' is not valid; valid: auto, event, fast" in result.output
