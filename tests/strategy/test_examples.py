"""The example programs: they run as users run them, and trade exactly like the built-ins."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from mas.strategy import BUILTIN_STRATEGIES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FILES = {"ma": "ma_cross.py", "rsi": "rsi.py", "macd": "macd.py", "kd": "kd.py", "bband": "bollinger.py"}
BACKTEST = {
    "symbol": "EURUSD",
    "timeframe": "H1",
    "from": "2017-01-01",
    "to": "2017-12-31",
    "captital": 10000,
    "backtest_toggle": True,
}


def load(name: str):
    path = EXAMPLES / FILES[name]
    spec = importlib.util.spec_from_file_location(f"mas_example_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fills_of(cls) -> list[tuple]:
    class Recorder(cls):
        def __init__(self):
            super().__init__()
            self.fills = []

        def receive_order_execution(self, order_id, execution_data):
            d = execution_data
            self.fills.append((d["time"], d["type"], d["volume"], d["price"]))

    client = Recorder()
    client.subscribe_bars(dict(BACKTEST))
    return client.fills


@pytest.mark.parametrize("name", list(FILES))
def test_example_runs_and_prints_a_summary(name, capsys):
    module = load(name)
    source = (EXAMPLES / FILES[name]).read_text()
    assert "class MAS_Client(mas):" in source and 'if __name__ == "__main__":' in source
    module.main()
    out = capsys.readouterr().out
    assert "receive_order_execution:" in out
    assert "Trades:" in out and "Balance" in out
    assert "No report" not in out


@pytest.mark.parametrize("name", list(FILES))
def test_example_trades_like_the_builtin(name):
    example = fills_of(load(name).MAS_Client)
    builtin = fills_of(BUILTIN_STRATEGIES[name])
    assert len(builtin) >= 20
    assert example == builtin
