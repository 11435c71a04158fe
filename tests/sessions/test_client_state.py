"""The facade keeps one private holder: a strategy's own attributes never clash with the framework's,
and the backtest session owns its replay's state."""

from __future__ import annotations

import ast
import gc
import weakref
from pathlib import Path

import numpy as np
import pytest

import mas
from mas.backtest.session import BacktestSession
from mas.client import state_of
from mas.results import BacktestResult
from mas.sessions import ClientState

PARAMS = {"symbol": "EURUSD", "timeframe": "H1", "from": "2017-01-01", "to": "2017-04-30", "backtest_toggle": True}
# the names the facade used to keep on the strategy itself (and that a strategy may well use for its own things)
JUNK = {"_result": "my result", "_live": "my live", "_sim": "my sim", "_replaying": True, "_lang": "zh-tw",
        "_last_error": "my error", "_warming_up": True, "_result_so_far": "mine", "_live_login": {"mine": 1},
        "_live_feeds": "mine", "_deal_poller": "mine", "_live_dispatcher": "mine"}


class Flipper(mas):
    """Long while SMA(10) > SMA(30), short below; closes by order_id; reports at the last bar."""

    def __init__(self) -> None:
        super().__init__()
        self.closes: list[float] = []
        self.statuses: list[tuple] = []
        self.fills: list[tuple] = []
        self.report: dict | None = None
        self.side = 0
        self.order: str | None = None

    def receive_bars(self, symbol, data, is_end):
        self.closes.append(data["close"])
        if len(self.closes) >= 30:
            want = 1 if sum(self.closes[-10:]) / 10 > sum(self.closes[-30:]) / 30 else -1
            if want != self.side:
                if self.order is not None:
                    self.send_order({"symbol": symbol, "order_type": "sell" if self.side > 0 else "buy", "volume": 0.1,
                                     "order_id": self.order, "backtest_toggle": True})
                self.order = self.send_order({"symbol": symbol, "order_type": "buy" if want > 0 else "sell",
                                              "volume": 0.1, "backtest_toggle": True})
                self.side = want
        if is_end:
            self.report = self.generate_data_report()

    def receive_order_status(self, order_id, status_data):
        self.statuses.append((order_id, status_data["status"], status_data["state"], status_data["message"]))

    def receive_order_execution(self, order_id, execution_data):
        self.fills.append((order_id, execution_data["deal"], execution_data["price"], execution_data["profit"]))


class Clashing(Flipper):
    """The same strategy, writing the framework's old private names everywhere it runs."""

    def __init__(self) -> None:
        self._scribble()
        super().__init__()
        self._scribble()

    def _scribble(self) -> None:
        for name, value in JUNK.items():
            setattr(self, name, value)

    def receive_bars(self, symbol, data, is_end):
        self._scribble()
        super().receive_bars(symbol, data, is_end)
        self._scribble()

    def receive_order_status(self, order_id, status_data):
        self._scribble()
        super().receive_order_status(order_id, status_data)

    def receive_order_execution(self, order_id, execution_data):
        self._scribble()
        super().receive_order_execution(order_id, execution_data)


def _without_timing(report: dict) -> dict:
    data = dict(report["data"])
    data["general_data"] = {k: v for k, v in data["general_data"].items() if "elapsed" not in k}
    return data


def test_a_strategy_using_the_old_private_names_backtests_exactly_as_one_that_does_not():
    plain, clashing = Flipper(), Clashing()
    plain.subscribe_bars(PARAMS)
    clashing.subscribe_bars(PARAMS)
    ours, theirs = plain.backtest_result, clashing.backtest_result
    assert isinstance(theirs, BacktestResult) and len(ours.closed_trades) > 10
    assert [(t.open_time, t.close_time, t.profit) for t in theirs.trades] == \
           [(t.open_time, t.close_time, t.profit) for t in ours.trades]
    assert np.array_equal(theirs.equity, ours.equity) and np.array_equal(theirs.equity_times, ours.equity_times)
    assert clashing.statuses == plain.statuses and clashing.fills == plain.fills and len(plain.fills) > 20
    assert plain.report is not None and plain.report["status"] is True
    assert _without_timing(clashing.report) == _without_timing(plain.report)
    # the strategy's own attributes are its own: the framework neither read nor replaced them
    assert {name: getattr(clashing, name) for name in JUNK} == JUNK
    assert clashing.last_error() == plain.last_error() and isinstance(clashing.last_error(), tuple)
    assert clashing.get_account_info()["balance"] == plain.get_account_info()["balance"]


def test_the_facade_keeps_exactly_one_instance_attribute():
    class Quiet(mas):
        def receive_bars(self, symbol, data, is_end):
            if is_end:
                self.send_order({"symbol": symbol, "order_type": "buy", "volume": 0.1, "backtest_toggle": True})

    client = Quiet()
    client.set_lang("zh-tw")
    client.subscribe_bars(PARAMS)
    assert list(vars(client)) == ["_MAS__state"]
    state = state_of(client)
    assert isinstance(state, ClientState) and state is state_of(client) and state.lang == "zh-tw"
    assert isinstance(state.backtest, BacktestSession) and state.live is None
    assert client.backtest_result is state.result is state.backtest.result


def test_a_subclass_that_forgets_super_init_still_works():
    class Forgetful(mas):
        def __init__(self) -> None:  # no super().__init__()
            self.bars = 0

        def receive_bars(self, symbol, data, is_end):
            self.bars += 1

    client = Forgetful()
    assert client.backtest_result is None and client.last_error()[1] == ""
    client.set_lang("zh-cn")
    client.subscribe_bars(PARAMS)
    assert client.bars > 100 and client.backtest_result is not None
    assert sorted(vars(client)) == ["_MAS__state", "bars"]
    assert client.generate_data_report()["status"] is True


def test_the_backtest_session_owns_the_replay_flag_and_the_result_so_far():
    seen: list[tuple] = []

    class Watcher(mas):
        def receive_bars(self, symbol, data, is_end):
            if is_end:
                session = state_of(self).backtest
                seen.append((session.replaying, state_of(self).replaying, self.check_connection(),
                             session.result, len(self.generate_data_report()["data"]["data_source"]) >= 0))

    client = Watcher()
    client.subscribe_bars(PARAMS)
    assert seen == [(True, True, True, None, True)]
    session = state_of(client).backtest
    assert session.replaying is False and session.result_so_far is None and client.check_connection() is False
    assert session.terminal is not None and session.terminal.history_deals_get(0, 2**40) is not None


def test_a_nested_backtest_is_refused_by_the_session():
    errors: list[str] = []

    class Nester(mas):
        def receive_bars(self, symbol, data, is_end):
            if not errors:
                try:
                    self.subscribe_bars(PARAMS)
                except RuntimeError as exc:
                    errors.append(str(exc))

    Nester().subscribe_bars(PARAMS)
    assert len(errors) == 1 and "subscribe_bars" in errors[0]


def test_adopt_result_makes_a_result_the_strategy_s_backtest_result_and_report_source():
    donor = Flipper()
    donor.subscribe_bars(PARAMS)
    client = Flipper()
    assert client.generate_data_report()["status"] is False
    state_of(client).adopt_result(donor.backtest_result)
    assert client.backtest_result is donor.backtest_result
    assert _without_timing(client.generate_data_report()) == _without_timing(donor.generate_data_report())
    assert client.get_positions() == []  # no replay ran: there is no simulated account to ask


def test_a_dropped_strategy_and_its_replay_are_freed_without_the_cycle_collector():
    client = Flipper()
    client.subscribe_bars(PARAMS)
    state = weakref.ref(state_of(client))
    session = weakref.ref(state_of(client).backtest)
    gc.collect()
    gc.disable()
    try:
        del client
        assert state() is None and session() is None  # no reference cycle keeps them (and the replay) alive
    finally:
        gc.enable()


@pytest.mark.parametrize("path", sorted((Path(mas.__file__).parent / "sessions").glob("*.py")), ids=lambda p: p.name)
def test_the_sessions_package_imports_nothing_above_it(path: Path):
    """Layers import downwards: mas.sessions never imports the facade, the rooms that hold the sessions,
    or the simulated terminal (lazy imports and TYPE_CHECKING imports are read too, and only the latter
    may name them)."""
    tree = ast.parse(path.read_text())
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(sub) for sub in ast.walk(node))
    above = ("mas.client", "mas.backtest", "mas.live", "mas.sim", "mas.app", "mas.cli", "mas.optimize")
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith(above), f"{path.name} imports {node.module}"
        elif isinstance(node, ast.Import):
            assert not any(alias.name.startswith(above) for alias in node.names), f"{path.name}: {ast.unparse(node)}"


def test_no_module_writes_the_strategy_s_attributes():
    """The rooms that used to keep state on the user's object reach it through state_of only."""
    root = Path(mas.__file__).parent
    files = [root / "backtest" / "session.py", root / "optimize" / "replay.py", *sorted((root / "live").glob("*.py"))]
    for path in files:
        text = path.read_text()
        for needle in ("client._", "strategy._", "__dict__[", "__dict__.get(", "__dict__.setdefault(",
                       "program._"):
            assert needle not in text, f"{path.relative_to(root)} uses {needle!r}"
