"""Cross-check with backtesting.py on the bundled real sample.

Same strategy (SMA 5/20 cross, long only, 10,000 units = 0.1 lot), fills at the next
bar's open, spread 0, commission 0, swaps 0: the trades and the final equity must agree
to the cent. The sample is ask-side; with spread 0 our bid equals the data, as in
backtesting.py, which has no notion of bid and ask.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import mas
from mas.data.store import load_bars

backtesting = pytest.importorskip("backtesting")
from backtesting import Backtest, Strategy  # noqa: E402
from backtesting.lib import crossover  # noqa: E402

FAST, SLOW, UNITS = 5, 20, 10_000


def sma(values: np.ndarray, n: int) -> np.ndarray:
    return pd.Series(values).rolling(n).mean().to_numpy()


class PeerCross(Strategy):
    def init(self):
        self.fast = self.I(sma, self.data.Close, FAST)
        self.slow = self.I(sma, self.data.Close, SLOW)

    def next(self):
        if crossover(self.fast, self.slow) and not self.position:
            self.buy(size=UNITS)
        elif crossover(self.slow, self.fast) and self.position:
            self.position.close()


class OurCross(mas):
    """The same rule with backtesting.py's crossover: previous a < b and current a > b.

    The averages are the very arrays the peer uses (pandas rolling means), so that float
    rounding in near-ties cannot make the two sides disagree on a signal: this test checks
    fills and accounting, the indicator tests check the indicators.
    """

    def __init__(self, fast: np.ndarray, slow: np.ndarray):
        super().__init__()
        self.fast, self.slow = fast, slow
        self.bar = -1
        self.position_id = None

    def receive_bars(self, symbol, data, is_end):
        self.bar += 1
        i = self.bar
        if i < SLOW:
            return
        fast, slow, pfast, pslow = self.fast[i], self.slow[i], self.fast[i - 1], self.slow[i - 1]
        if pfast < pslow and fast > slow and self.position_id is None:
            self.position_id = self.send_order({"symbol": symbol, "order_type": "buy", "volume": UNITS / 100_000,
                                                "backtest_toggle": True})
        elif pslow < pfast and slow > fast and self.position_id is not None:
            self.send_order({"symbol": symbol, "order_type": "sell", "volume": UNITS / 100_000,
                             "order_id": self.position_id, "backtest_toggle": True})
            self.position_id = None


def test_same_trades_and_final_equity_as_backtesting_py():
    rates = load_bars("EURUSD", "H1").rates
    frame = pd.DataFrame({"Open": rates["open"], "High": rates["high"], "Low": rates["low"],
                          "Close": rates["close"], "Volume": rates["tick_volume"].astype(float)},
                         index=pd.to_datetime(rates["time"], unit="s"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer = Backtest(frame, PeerCross, cash=100_000, commission=0, trade_on_close=False,
                        exclusive_orders=False).run()
    ours = OurCross(sma(rates["close"], FAST), sma(rates["close"], SLOW))
    ours.subscribe_bars({"symbol": "EURUSD", "timeframe": "H1", "capital": 100_000, "spread": 0,
                         "symbol_overrides": {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}},
                         "backtest_toggle": True})
    result = ours.backtest_result
    peer_trades = peer._trades
    # backtesting.py lists closed trades only (finalize_trades=False); both mark the open one to market
    our_trades = result.closed_trades
    assert len(our_trades) == len(peer_trades) > 100
    for ours_t, (_, theirs) in zip(our_trades, peer_trades.iterrows(), strict=True):
        assert ours_t.open_time == theirs["EntryTime"].to_pydatetime()
        assert ours_t.open_price == pytest.approx(theirs["EntryPrice"], abs=1e-9)
        if ours_t.is_open:
            continue
        assert ours_t.close_time == theirs["ExitTime"].to_pydatetime()
        assert ours_t.close_price == pytest.approx(theirs["ExitPrice"], abs=1e-9)
        assert ours_t.profit == pytest.approx(theirs["PnL"], abs=0.005)
    assert round(float(result.equity[-1]), 2) == round(float(peer["Equity Final [$]"]), 2)
