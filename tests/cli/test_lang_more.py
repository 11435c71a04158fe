"""``mas --lang zh-tw``: the live run's status lines and note, the copier's events and notes, a group split's
notes, ``mas report``'s notes on what it could not restore and the optimizer's reasons for a skipped set, in
Chinese; in English, unchanged."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime

import pytest
from typer.testing import CliRunner

from cli.test_lang import english_left
from live.conftest import wait_until
from live.test_copier import SLOW, Master, _profiles
from mas.cli import app
from mas.i18n import localize, use_lang
from mas.live.profiles import BrokerProfile, save_profile
from mas.live.simserver import ReplaySpec, SimExchange, SimServer

runner = CliRunner()


def run(*args: str, lang: str | None = "zh-tw") -> tuple[int, str]:
    """``mas [--lang LANG] ARGS``: the exit code and everything printed (stdout and stderr)."""
    result = runner.invoke(app, [*(["--lang", lang] if lang else []), *args], env={"COLUMNS": "200"})
    errors = result.stderr if result.stderr_bytes is not None else ""
    return result.exit_code, result.output if errors in result.output else result.output + errors


@pytest.fixture
def in_lang() -> Iterator:
    """The process's language as ``mas --lang`` sets it; forgotten afterwards."""
    yield use_lang
    use_lang(None)


# ---------------------------------------------------------------------- optimizer: a skipped set's reason
def test_a_skipped_sets_reason_is_the_errors_own_message_in_the_language():
    code, text = run("optimize", "ma", "--timeframe", "D1", "--param", "fast=0,5", "--param", "slow=20")
    assert code == 0, text
    assert "fast=0 slow=20: fast：必須是大於或等於 1 的整數，收到 0" in text
    assert "ValueError" not in text and "whole number" not in text
    code, text = run("optimize", "ma", "--timeframe", "D1", "--param", "fast=0,5", "--param", "slow=20", lang=None)
    assert "skipped: fast=0 slow=20: fast: must be a whole number >= 1, got 0" in text


def test_failure_reason_keeps_the_class_name_of_an_error_not_in_the_catalog():
    from mas.i18n import InputError
    from mas.optimize.evaluate import failure_reason

    assert failure_reason(ZeroDivisionError("division by zero")) == "ZeroDivisionError: division by zero"
    reason = failure_reason(InputError("value_not_date", field="from", value="x"))
    assert reason == str(InputError("value_not_date", field="from", value="x"))
    assert localize(reason, "zh-cn") != reason and not english_left(localize(reason, "zh-cn"), ["from", "x"])


# ---------------------------------------------------------------------- mas report: what was not restored
def test_report_notes_in_chinese_and_unchanged_in_english(tmp_path):
    saved = tmp_path / "r.json"
    code, text = run("backtest", "ma", "--timeframe", "D1", "--to", "2017-03-01", "--json", str(saved), lang=None)
    assert code == 0, text
    document = json.loads(saved.read_text())
    document["settings"].pop("capital", None)
    document["settings"].pop("captital", None)
    document["settings"]["timeframe"] = ""  # no market named: the chart has no candles
    saved.write_text(json.dumps(document))
    code, text = run("report", str(saved), "--report-dir", str(tmp_path / "reports"))
    assert code == 0, text
    assert "設定中沒有有效的初始資金：改用第一個淨值點（10,000.00）" in text
    assert "設定中沒有商品與週期：交易圖表沒有K線" in text
    assert "initial capital" not in text and "no candles" not in text
    code, text = run("report", str(saved), "--report-dir", str(tmp_path / "reports"), lang=None)
    assert "no valid initial capital in the settings: the first equity point (10,000.00) is used" in text
    assert "the settings name no symbol and timeframe: the trade chart has no candles" in text


def test_reload_bars_notes_are_texts_english_as_str():
    import numpy as np

    from mas.reports.saved_result import reload_bars

    times = np.array([1483228800, 1483315200], dtype=np.int64)
    _, notes = reload_bars({"symbol": "EURUSD", "timeframe": "D1", "from": "1990-01-01", "to": "1990-02-01"}, times)
    assert notes and all(isinstance(n, str) for n in notes)
    assert any(n.startswith("no stored D1 bars of EURUSD for the saved range") for n in notes), notes
    chinese = [localize(n, "zh-tw") for n in notes]
    assert any(n.startswith("已儲存的區間內沒有 EURUSD 的 D1 K線資料") for n in chinese), chinese


# ---------------------------------------------------------------------- a group's split: the notes
def test_split_notes_in_the_dry_run_table():
    from mas.cli.group_status import dry_run_lines
    from mas.groups.accounts import DryRun, split_for
    from mas.groups.allocation import AccountSnapshot
    from mas.groups.store import AccountGroup

    snapshots = (AccountSnapshot("alice", 10000, 10000, 9000), AccountSnapshot("bob", 10000, 10000, 9000),
                 AccountSnapshot("carol", 10000, 10000, 9000), AccountSnapshot("dan", 100, 100, 90))
    for rule, english, chinese in (
            ("raise", "raised to the minimum 0.01", {"zh-tw": "提高至最小手數 0.01", "zh-cn": "提高至最小手数 0.01"}),
            ("skip", "below the minimum 0.01: skipped", {"zh-tw": "低於最小手數 0.01：略過",
                                                         "zh-cn": "低于最小手数 0.01：跳过"})):
        group = AccountGroup("desk", ("alice", "bob", "carol", "dan"), "equity", min_lot_rule=rule)
        run_ = DryRun(group, "EURUSD", split_for(group, list(snapshots), 0.05), snapshots)
        lines = run_.lines()
        assert lines[-5].endswith("0.02  + 1 step of the remainder") and lines[-2].endswith(english), lines
        for lang, remainder in (("zh-tw", "+ 剩餘的 1 個手數步長"), ("zh-cn", "+ 剩余的 1 个手数步长")):
            said = dry_run_lines(run_, lang)
            assert said[-5].endswith(remainder) and said[-2].endswith(chinese[lang]), said
            assert "remainder" not in "\n".join(said) and "minimum" not in "\n".join(said)


# ---------------------------------------------------------------------- mas live: status lines and the note
@pytest.fixture
def server() -> Iterator[SimServer]:
    """A sim server replaying 20 H1 bars a second from 2017-01-02, with a paper profile on it."""
    exchange = SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=3600 * 20, capital=10_000.0,
                                      allow_new_accounts=True), None)
    running = SimServer(exchange, port=0).start()
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=7103, host="127.0.0.1",
                               port=running.port))
    yield running
    running.stop()


def test_live_run_lines_in_the_commands_language(server, monkeypatch, in_lang):
    from mas.app import start_live

    monkeypatch.setenv("MAS_PASSWORD_PAPER", "Lang-Live-Pa55")
    in_lang("zh-tw")  # what mas --lang zh-tw does before mas live starts the run
    run_ = start_live("rsi", "paper", symbol="eurusd", timeframe="h1", interval_ms=50, status_every=0.2,
                      warmup_bars=5)
    echoed: list[str] = []
    run_.start(echoed.append)
    try:
        assert wait_until(lambda: sum("UTC  淨值" in line for line in echoed) >= 2, timeout=20), echoed
    finally:
        run_.stop()
    assert run_.wait(30)
    assert echoed[0].startswith("實盤：RSIStrategy 交易 EURUSD H1，設定檔 paper（MAS-Sim 上的帳號 7103），風控：無")
    assert echoed[1].startswith("暖機：要求 5 根K線，指標已餵入至 2017-")
    assert any(line.startswith("結束：") and "回呼錯誤 0" in line and "最後K線 2017-" in line for line in echoed)
    assert echoed[-1] == "已停止：行情、成交輪詢與終端皆已關閉；未平倉部位與掛單仍留在帳戶中"
    assert not english_left("\n".join(echoed), ["RSIStrategy", "EURUSD", "paper", "MAS-Sim", "UTC", "USD"])
    kept = list(run_.lines)  # for other front ends: English as a str, any language by localize
    assert kept[0].startswith("live: RSIStrategy on EURUSD H1, profile paper (account 7103 on MAS-Sim), "
                              "risk guards: none")
    assert kept[-1] == "stopped: feeds, fill poller and terminal shut down; open positions and pending orders stay " \
                       "on the account"
    assert [localize(line, "zh-tw") for line in kept] == echoed


def test_the_backtest_orders_note_in_the_language(tmp_path):
    from mas.app.live import start_live

    path = tmp_path / "hard.py"
    path.write_text("from mas import MAS\n\n\nclass Hard(MAS):\n    def receive_bars(self, symbol, data, is_end):\n"
                    "        self.send_order({'symbol': symbol, 'order_type': 'buy', 'volume': 0.1, "
                    "'backtest_toggle': True})\n")
    save_profile(BrokerProfile(name="paper", terminal="sim", server="MAS-Sim", login=7104, host="127.0.0.1",
                               port=1))
    (note,) = start_live(str(path), "paper").notes
    assert note.startswith("Hard sends orders with 'backtest_toggle': True, which never reach the broker; ")
    assert localize(note, "zh-tw").startswith("Hard 以 'backtest_toggle': True 送出訂單，這些訂單永遠不會送到券商")
    assert localize(note, "zh-cn").startswith("Hard 以 'backtest_toggle': True 发送订单，这些订单永远不会发送到券商")


# ---------------------------------------------------------------------- the copier: events, notes, history
@pytest.fixture
def in_process() -> Iterator:
    servers: list[SimServer] = []

    def start() -> SimServer:
        servers.append(SimServer(SimExchange(ReplaySpec(start=datetime(2017, 1, 2), speed=SLOW,
                                                        allow_new_accounts=True)), port=0).start())
        return servers[-1]

    yield start
    for server_ in servers:
        server_.stop()


def test_copier_events_and_notes_in_the_language(in_process, monkeypatch, in_lang):
    from mas.live import copier as cp

    first = in_process()
    _profiles(monkeypatch, [("master", first.port, 1001), ("fa", first.port, 1002), ("guarded", first.port, 1003)],
              guarded=0.05)
    in_lang("zh-tw")
    lines: list[str] = []
    copier = cp.open_copier(cp.CopierSettings(master="master", followers=cp.parse_followers("fa,guarded"),
                                              multiplier=2), lines.append)
    master = Master(first.port)
    try:
        ticket = master.buy(0.1)
        copier.poll()
        assert any(line.startswith("跟單 master -> fa：已開倉 buy 0.2 EURUSD（部位 #") for line in lines), lines
        assert any(line.startswith("跟單 master -> guarded：open buy 0.2 EURUSD 被拒（") for line in lines), lines
        note = copier.state["followers"]["guarded"]["mirrors"][str(ticket)]["note"]
        assert note.startswith("open 被拒：") and "max_lots" in note
        history = copier.state["followers"]["fa"]["history"]
        assert history and history[-1].endswith(": open buy 0.2 EURUSD: 訂單 #1"), history
        assert not english_left("\n".join(lines), ["master", "fa", "guarded", "open buy", "EURUSD"]), lines
        master.close(ticket, 0.1)
        copier.poll()
        assert any("：已平倉部位 #" in line for line in lines), lines
    finally:
        copier.close()
        master.shutdown()


# ---------------------------------------------------------------------- no stored ticks for a tick model
def test_missing_ticks_are_explained_in_the_language():
    args = ("backtest", "ma", "--model", "real_ticks", "--from", "2017-03-01", "--to", "2017-03-03")
    code, said = run(*args)
    assert code != 0 and "沒有 EURUSD 逐筆報價" in said and "取得逐筆報價的方式" in said, said
    assert "mas data download EURUSD --source dukascopy --from 2017-03-01 --to 2017-03-03 --ticks" in said
    assert not english_left(said, list(args)), english_left(said, list(args))
    code, said = run(*args, lang=None)
    assert code != 0 and "No EURUSD ticks between 2017-03-01 00:00 and 2017-03-03" in said, said
