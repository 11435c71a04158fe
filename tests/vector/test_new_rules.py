"""Arithmetic operands, "A then B within N bars" sequences, trading hours and symmetric ("vice versa") rules (issue
16): texts that say them parse to them, and
whole backtests on the bundled EURUSD H1 2017 sample trade identically on the event engine (the compiled spec, bar
by bar), the fast path (the rules as arrays) and the exported standalone program."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from mas.optimize.replay import replay
from mas.reports.metrics import compute_metrics
from mas.strategy.compiler import compile_spec
from mas.strategy.explain import explain_spec
from mas.strategy.export import export_program
from mas.strategy.parse import parse_text
from mas.vector import fast_backtest
from mas.vector.engine import spec_limitation

TEXTS = {
    "volume spike": "buy when volume > 1.5 * SMA(volume, 20) and the close crosses above SMA(20); "
                    "sell when the close crosses below SMA(20)",
    "atr band": "buy when the close crosses above SMA(20) + 1.5 x ATR(14), sell when the close crosses below "
                "SMA(20); short when the close crosses below SMA(20) - 1.5 x ATR(14), cover when the close crosses "
                "above SMA(20)",
    "sequence": "buy when RSI(14) < 35 and then the close crosses above EMA(20) within 5 bars; "
                "sell when RSI(14) > 65 or the close crosses below SMA(50); stop loss 40 pips",
    "sequence zh": "RSI低於35之後5根K棒內收盤價向上穿越20日均線時買進，收盤價跌破50日均線時賣出",
    "trend of a sum": "buy when SMA(10) + 0.5 x ATR(14) is rising for 3 bars and then the close crosses above "
                      "SMA(10) within 3 bars, exit after 12 bars",
    "vice versa in hours": "buy when RSI(14) < 30, sell when RSI(14) > 55, and vice versa, only between 08:00 and "
                           "17:00 UTC",
    "keltner both ways": "buy when the close crosses above EMA(20) + 1 x ATR(14) and volume > 1.2 x SMA(volume, 20), "
                         "sell when the close crosses below EMA(20), and the opposite for shorts; take profit 2 x ATR",
}


@pytest.fixture(scope="module")
def year(sample_data):
    return sample_data["year"]


def same_backtest(fast, event) -> None:
    assert fast is not None
    assert [t.as_dict() for t in fast.trades] == [t.as_dict() for t in event.trades]
    np.testing.assert_array_equal(fast.balance, event.balance)
    np.testing.assert_array_equal(fast.equity, event.equity)
    assert compute_metrics(fast) == compute_metrics(event)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_new_rules_trade_identically_on_the_event_engine_and_the_fast_path(year, name):
    spec = parse_text(TEXTS[name]).spec
    assert spec_limitation(spec, year.settings.specs()["EURUSD"]) is None
    event = replay(compile_spec(spec)(), year)
    assert len(event.trades) >= 4, "the rule should trade on a year of data"
    same_backtest(fast_backtest(spec, year), event)


def test_a_sequence_only_fires_within_its_window(year):
    """Widening the window can only add entries; a window of 1 bar is "the bar right after"."""
    def entries(within: int) -> int:
        text = f"buy when RSI(14) < 35 and then the close crosses above EMA(20) within {within} bars, exit after 3 bars"
        return len(fast_backtest(parse_text(text).spec, year).trades)

    counts = [entries(n) for n in (1, 3, 10, 40)]
    assert counts == sorted(counts) and counts[0] < counts[-1]


@pytest.mark.parametrize("name", ["atr band", "sequence", "keltner both ways"])
def test_the_exported_program_trades_like_the_compiled_spec(tmp_path, name):
    spec = parse_text(TEXTS[name]).spec
    program = tmp_path / "strategy.py"
    program.write_text(export_program(spec))
    run = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=300, check=True)
    client = compile_spec(spec)()
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31",
                           "captital": 10000, "backtest_toggle": True})
    balance = client.get_account_info()["balance"]
    assert f"Balance {balance} USD" in run.stdout
    assert "total(" in program.read_text() or "Recent(" in program.read_text()


@pytest.mark.parametrize("lang", ["en", "zh-tw", "zh-cn"])
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_explanation_reads_back_as_the_same_spec(name, lang):
    spec = parse_text(TEXTS[name]).spec
    assert parse_text(explain_spec(spec, lang)).spec == spec
