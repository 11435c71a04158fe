"""Engine speed: a do-nothing replay and an SMA(10/30) flip on 200,000 H1 candles, side by side
with backtesting.py and backtrader in the same process.

The candles are the bundled real EURUSD H1 2017 sample and its mirror image, alternating end to
end until there are 200,000 of them (prices stay in the sample's real range).

Three rows measure the call as a user makes it (issue 19), the whole ``subscribe_bars`` with the
store's in-process cache emptied first (reading the Parquet file, building the replay, the replay
and the result): a do-nothing strategy over ``--m1-bars`` synthetic M1 candles (a random walk,
``bench_data.m1_candles``; its ``receive_bars`` never reads its bar, so the replay hands it one shared dict),
the same with a strategy that reads each bar's close (a dict per bar), and an SMA(10/30) flip written as
the documentation's examples write strategies (a list of closes, averages of its slices), against
backtesting.py on the H1 candles.

    pip install -e ".[bench]" && python bench/bench_engine.py [--bars 200000] [--m1-bars 1000000] [--skip-peers]
        [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from collections import deque

import numpy as np

FAST, SLOW, VOLUME = 10, 30, 0.1


def make_candles(count: int) -> np.ndarray:
    """``count`` H1 candles: the real 2017 sample, then its mirror image, then the sample again, ...

    The mirrored copy (``p -> first open + last close - p``, high and low swapped) starts where the
    sample ends and ends where it starts, so prices stay in the sample's real range and the copies
    join without gaps; each copy is shifted by whole weeks so weekdays stay aligned."""
    from mas.data.store import load_bars

    base = load_bars("EURUSD", "H1").rates
    span = int(base["time"][-1] - base["time"][0]) + 7 * 86400
    span -= span % (7 * 86400)
    axis = float(base["open"][0] + base["close"][-1])
    copies = []
    for k in range(count // len(base) + 1):
        chunk = base.copy()
        chunk["time"] += k * span
        if k % 2:
            chunk["open"], chunk["close"] = axis - base["open"], axis - base["close"]
            chunk["high"], chunk["low"] = axis - base["low"], axis - base["high"]
            for col in ("open", "high", "low", "close"):
                chunk[col] = np.round(chunk[col], 5)
        copies.append(chunk)
    return np.concatenate(copies)[:count]


def timed(label: str, bars: int, run, repeat: int = 3) -> float:
    """The best of ``repeat`` runs (every row, ours and the peers', alike)."""
    elapsed = float("inf")
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        outcome = run()
        elapsed = min(elapsed, time.perf_counter() - started)
    print(f"{label:<48} {elapsed:8.3f} s  {bars / elapsed:>12,.0f} bars/s   {outcome}")
    return elapsed


def run_ours(bars: int, strategy_cls, timeframe: str = "H1", cold: bool = False) -> str:
    """One ``subscribe_bars`` of ``strategy_cls``; ``cold``: with the store's in-process cache emptied
    first, so the call reads the Parquet file as a user's first call does."""
    if cold:
        from mas.data.store import clear_cache

        clear_cache()
    client = strategy_cls()
    client.subscribe_bars({"symbol": "EURUSD", "timeframe": timeframe, "capital": 100_000, "spread": 0,
                           "symbol_overrides": {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}},
                           "backtest_toggle": True})
    result = client.backtest_result
    return f"trades={len(result.closed_trades)} equity={result.equity[-1]:,.2f}"


def user_style_flip():
    """The SMA(10/30) flip as the documentation's examples write a strategy: a list of closes, the
    averages as sums of its last slices; long while SMA(10) > SMA(30), short while below."""
    import mas

    class UserFlip(mas):
        def __init__(self):
            super().__init__()
            self.closes, self.side, self.order_id = [], 0, None

        def receive_bars(self, symbol, data, is_end):
            self.closes.append(data["close"])
            if len(self.closes) < SLOW:
                return
            fast = sum(self.closes[-FAST:]) / FAST
            slow = sum(self.closes[-SLOW:]) / SLOW
            want = 1 if fast > slow else -1
            if want == self.side:
                return
            if self.order_id is not None:  # an order carrying the open one's id closes that position
                self.send_order({"symbol": symbol, "order_type": "sell" if self.side > 0 else "buy", "volume": VOLUME,
                                 "order_id": self.order_id, "backtest_toggle": True})
            self.order_id = self.send_order({"symbol": symbol, "order_type": "buy" if want > 0 else "sell",
                                             "volume": VOLUME, "backtest_toggle": True})
            self.side = want

    return UserFlip


def reads_close():
    """A strategy that only reads each bar's close: the do-nothing row's strategy never reads its bar (the replay then
    hands it one shared dict), this one gets a dict of its own per bar, as every strategy that reads its bars does."""
    import mas

    class ReadsClose(mas):
        def receive_bars(self, symbol, data, is_end):
            self.close = data["close"]

    return ReadsClose


def our_strategies():
    import mas

    class DoNothing(mas):
        def receive_bars(self, symbol, data, is_end):
            pass

    class SmaFlip(mas):
        """Long while SMA(10) > SMA(30), short while below: flips on every cross."""

        def __init__(self):
            super().__init__()
            self.fast, self.slow = deque(maxlen=FAST), deque(maxlen=SLOW)
            self.fast_sum = self.slow_sum = 0.0
            self.side, self.order_id = 0, None

        def receive_bars(self, symbol, data, is_end):
            close = data["close"]
            if len(self.fast) == FAST:
                self.fast_sum -= self.fast[0]
            if len(self.slow) == SLOW:
                self.slow_sum -= self.slow[0]
            self.fast.append(close)
            self.slow.append(close)
            self.fast_sum += close
            self.slow_sum += close
            if len(self.slow) < SLOW:
                return
            want = 1 if self.fast_sum / FAST > self.slow_sum / SLOW else -1
            if want == self.side:
                return
            if self.order_id is not None:
                self.send_order({"symbol": symbol, "order_type": "sell" if self.side > 0 else "buy",
                                 "volume": VOLUME, "order_id": self.order_id, "backtest_toggle": True})
            self.order_id = self.send_order({"symbol": symbol, "order_type": "buy" if want > 0 else "sell",
                                             "volume": VOLUME, "backtest_toggle": True})
            self.side = want

    return DoNothing, SmaFlip


FLIP_TEXT = (f"buy when SMA({FAST}) crosses above SMA({SLOW}), sell when SMA({FAST}) crosses below SMA({SLOW}), "
             f"short when SMA({FAST}) crosses below SMA({SLOW}), cover when SMA({FAST}) crosses above SMA({SLOW})")


def spec_flip():
    """The flip as a strategy spec (crosses, like backtesting.py's ``crossover``): its compiled MAS class for
    the event engine, and a run of the vectorized fast path that checks it trades exactly the same."""
    from mas.strategy.compiler import compile_spec
    from mas.strategy.parse import parse_text
    from mas.vector.engine import fast_backtest
    from mas.vector.market_data import MarketData

    spec = parse_text(FLIP_TEXT).spec
    params = {"symbol": "EURUSD", "timeframe": "H1", "capital": 100_000, "spread": 0,
              "symbol_overrides": {"EURUSD": {"swap_long": 0.0, "swap_short": 0.0}}, "backtest_toggle": True}
    data = MarketData.load(params)
    event_cls = compile_spec(spec)
    checked = {}

    def fast_run() -> str:
        result = fast_backtest(spec, data)
        if result is None:
            raise RuntimeError("the fast path declined this spec")
        if not checked:
            event = event_cls()
            event.subscribe_bars(params)
            same = [(t.open_time, t.close_price) for t in event.backtest_result.trades] == [
                (t.open_time, t.close_price) for t in result.trades]
            checked["same"] = same and round(event.backtest_result.equity[-1], 2) == round(result.equity[-1], 2)
        return f"trades={len(result.closed_trades)} equity={result.equity[-1]:,.2f} same_as_event={checked['same']}"

    return event_cls, fast_run


def run_backtesting_py(frame) -> str:
    from backtesting import Backtest, Strategy
    from backtesting.lib import crossover

    def sma(values, n):
        import pandas as pd

        return pd.Series(values).rolling(n).mean().to_numpy()

    class SmaFlip(Strategy):
        def init(self):
            self.fast = self.I(sma, self.data.Close, FAST)
            self.slow = self.I(sma, self.data.Close, SLOW)

        def next(self):
            if crossover(self.fast, self.slow):
                self.position.close()
                self.buy(size=int(VOLUME * 100_000))
            elif crossover(self.slow, self.fast):
                self.position.close()
                self.sell(size=int(VOLUME * 100_000))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        stats = Backtest(frame, SmaFlip, cash=100_000, commission=0, margin=0.01).run()
    return f"trades={stats['# Trades']} equity={stats['Equity Final [$]']:,.2f}"


def run_backtrader(frame) -> str:
    import backtrader as bt

    class SmaFlip(bt.Strategy):
        def __init__(self):
            self.cross = bt.ind.CrossOver(bt.ind.SMA(period=FAST), bt.ind.SMA(period=SLOW))

        def next(self):
            if self.cross > 0:
                self.order_target_size(target=int(VOLUME * 100_000))
            elif self.cross < 0:
                self.order_target_size(target=-int(VOLUME * 100_000))

    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.PandasData(dataname=frame))
    cerebro.addstrategy(SmaFlip)
    cerebro.broker.setcash(100_000)
    cerebro.run()
    return f"equity={cerebro.broker.getvalue():,.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bars", type=int, default=200_000)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--m1-bars", type=int, default=1_000_000, help="M1 candles of the end-to-end do-nothing row")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the best is printed")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="mas-bench-")
    candles = make_candles(args.bars)
    os.environ["MAS_HOME"] = home
    from mas.data.store import clear_cache, save_bars

    clear_cache()
    save_bars("EURUSD", "H1", candles, price_side="ask", has_spread=False)
    n = len(candles)
    from mas.build_info import engine_build

    do_nothing, sma_flip = our_strategies()
    user_flip = user_style_flip()
    m1 = m1_bars(args.m1_bars)
    print(f"end to end (the whole subscribe_bars, store cache emptied first); engine: {engine_build()}")
    e2e = timed(f"mas: do-nothing, {m1:,} M1 candles", m1, lambda: run_ours(m1, do_nothing, "M1", cold=True),
                args.repeat)
    e2e_reads = timed(f"mas: reads each bar's close, {m1:,} M1 candles", m1,
                      lambda: run_ours(m1, reads_close(), "M1", cold=True), args.repeat)
    user = timed("mas: user-style SMA(10/30) flip (list of closes), H1", n,
                 lambda: run_ours(n, user_flip, cold=True), args.repeat)
    print(f"\n{n:,} EURUSD H1 candles (the real 2017 sample and its mirror image, alternating), spread 0, no swaps, "
          f"0.1 lot; store cache warm\n")
    run_ours(n, do_nothing)  # warm the store cache
    timed("mas: do-nothing strategy", n, lambda: run_ours(n, do_nothing), args.repeat)
    ours = timed("mas: SMA(10/30) flip (hand-written MAS client)", n, lambda: run_ours(n, sma_flip), args.repeat)
    spec_cls, fast_run = spec_flip()
    timed("mas: SMA(10/30) flip as a spec, event engine", n, lambda: run_ours(n, spec_cls), args.repeat)
    fast_run()  # compile the kernels (numba, when installed) before timing
    fast = timed("mas: the same spec, vectorized fast path", n, fast_run, args.repeat)
    if args.skip_peers:
        print(f"\nend to end: do-nothing {m1 / e2e:,.0f} M1 bars/s (target 2,000,000); reading each bar "
              f"{m1 / e2e_reads:,.0f} M1 bars/s")
        return
    import pandas as pd

    frame = pd.DataFrame({"Open": candles["open"], "High": candles["high"], "Low": candles["low"],
                          "Close": candles["close"], "Volume": candles["tick_volume"].astype(float)},
                         index=pd.to_datetime(candles["time"], unit="s"))
    peer_bt = timed("backtesting.py: SMA(10/30) flip", n, lambda: run_backtesting_py(frame), args.repeat)
    lower = frame.rename(columns=str.lower)
    peer_trader = timed("backtrader: SMA(10/30) flip", n, lambda: run_backtrader(lower), args.repeat)
    print(f"\nevent engine (hand-written client) vs backtesting.py: {peer_bt / ours:.1f}x faster; "
          f"vs backtrader: {peer_trader / ours:.1f}x faster")
    print(f"spec fast path vs backtesting.py: {peer_bt / fast:.1f}x faster; vs backtrader: {peer_trader / fast:.1f}x "
          f"faster")
    print(f"end to end: do-nothing {m1 / e2e:,.0f} M1 bars/s (target 2,000,000; reading each bar "
          f"{m1 / e2e_reads:,.0f}); user-style flip vs backtesting.py: {peer_bt / user:.1f}x faster (target 5x)")


def m1_bars(count: int) -> int:
    """Store ``count`` synthetic M1 candles (``bench_data.m1_candles``: a random walk, bid prices with
    spreads) in the current MAS_HOME; returns how many were stored."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_data import m1_candles
    from mas.data.store import save_bars

    rates = m1_candles(count)
    save_bars("EURUSD", "M1", rates, price_side="bid", has_spread=True)
    return len(rates)


if __name__ == "__main__":
    main()
