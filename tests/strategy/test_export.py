"""Exported programs: readable MAS-style scripts that run and reproduce the compiled spec's backtest."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mas.strategy.builtin_specs import builtin_spec
from mas.strategy.compiler import compile_spec
from mas.strategy.export import export_program
from mas.strategy.parse import parse_text

BACKTEST = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-12-31", "captital": 10000,
            "backtest_toggle": True}
TEXTS = [
    "buy when RSI(14) < 30 and MACD crosses above its signal, sell when RSI > 70, stop loss 30 pips",
    "short when RSI > 70, cover when RSI < 30, take profit 2%, trailing stop 20 pips, risk 1% per trade, "
    "stop loss 2 x ATR",
    "buy when close > 20-bar high and volume > 20-bar average volume, exit after 10 bars, only during the London "
    "session on weekdays, max 2 positions",
    "buy when RSI rising for 3 bars and not RSI > 60, sell when RSI between 65 and 80 or K crosses below D",
]


def compiled_fills(spec) -> tuple[list[str], float]:
    """The compiled spec's fills, printed as the exported program prints them, and the final balance."""

    class Recorder(compile_spec(spec)):
        def __init__(self):
            super().__init__()
            self.lines = []

        def receive_order_execution(self, order_id, execution_data):
            d = execution_data
            self.lines.append(" ".join(str(x) for x in ("receive_order_execution:", order_id, d["time"], d["type"],
                                                        d["volume"], d["symbol"], "@", d["price"], d["reason"])))
            super().receive_order_execution(order_id, execution_data)

    client = Recorder()
    client.subscribe_bars(dict(BACKTEST))
    return client.lines, client.get_account_info()["balance"]


@pytest.mark.parametrize("spec", [parse_text(t).spec for t in TEXTS] + [builtin_spec("kd")],
                         ids=[*(f"text{i}" for i in range(len(TEXTS))), "kd"])
def test_the_exported_program_reproduces_the_compiled_backtest(spec, tmp_path):
    program = tmp_path / "strategy.py"
    program.write_text(export_program(spec))
    run = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=120, check=True)
    printed = [line for line in run.stdout.splitlines() if line.startswith("receive_order_execution:")]
    expected, balance = compiled_fills(spec)
    assert len(printed) > 5 and printed == expected
    assert f"Balance {balance} USD" in run.stdout


def test_the_program_reads_like_the_docs_examples():
    source = export_program(parse_text(TEXTS[0]).spec)
    compile(source, "strategy.py", "exec")  # valid Python (compiled, not run)
    for needle in ("import mas\n", "class MAS_Client(mas):", "def receive_bars(self, symbol, data, is_end):",
                   "def main():", '"account": "YOUR_ACCOUNT"', '"backtest_toggle": BACKTEST', "BACKTEST = True",
                   'if __name__ == "__main__":', "Buy (go long) when RSI(14) is below 30", 'STOP_LOSS = ("pips", 30.0'):
        assert needle in source
    assert "BACKTEST = False" in export_program(parse_text(TEXTS[0]).spec, backtest=False)


def test_export_takes_only_plain_settings():
    with pytest.raises(ValueError, match="symbol"):
        export_program(builtin_spec("ma"), symbol='EURUSD"; import os')
    with pytest.raises(ValueError, match="spec"):
        export_program({"entry_long": {}})
