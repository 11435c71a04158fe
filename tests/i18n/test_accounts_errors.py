"""Issue 20 item 7 for accounts: the errors of broker profiles, account groups, the allocation, the copier and the
sim server come out in the user's language (``mas --lang``, ``MAS.set_lang``, :func:`mas.i18n.localize`), with the
user's own value as typed, while ``str(error)`` (the English text tests and callers match on) stays as it was."""

from __future__ import annotations

import pickle

import pytest
from typer.testing import CliRunner

from cli.test_lang import english_left
from live.conftest import start_server  # noqa: F401 - fixture
from mas.cli import app
from mas.groups.allocation import AccountSnapshot, AllocationError, allocate
from mas.groups.backtest import parse_accounts
from mas.groups.store import AccountGroup, GroupError
from mas.i18n import Text, localize
from mas.live.copier import CopierError, CopierSettings, FollowerSpec, parse_followers, parse_symbol_map
from mas.live.guards import TradingHours
from mas.live.profiles import BrokerProfile, ProfileError, save_profile
from mas.live.simserver.access import load_accounts_file

runner = CliRunner()


def mas(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run the ``mas`` command in this process: (exit code, everything it printed)."""
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes is not None else "")


def _sim_profiles(port: int, *names: str) -> None:
    for n, name in enumerate(names):
        save_profile(BrokerProfile(name=name, terminal="sim", server="MAS-Sim", login=1001 + n, host="127.0.0.1",
                                   port=port))


# ---------------------------------------------------------------------- the command, as a user types it
def test_a_bad_group_name_in_group_add_is_answered_in_traditional_chinese():
    _sim_profiles(1, "alice")
    code, out = mas("--lang", "zh-tw", "broker", "group", "add", "my desk!", "--members", "alice")
    assert code == 2
    assert "群組名稱 'my desk!'：請使用字母、數字、'.'、'_' 或 '-'（最多 64 個字元）" in out, out
    assert not english_left(out, ["my desk!"]), out
    code, out = mas("broker", "group", "add", "my desk!", "--members", "alice")  # English stays as it was
    assert code == 2 and "group name 'my desk!': use letters, digits, '.', '_' or '-' (at most 64)" in out


def test_a_misspelt_allocation_names_the_close_method_in_simplified_chinese():
    _sim_profiles(1, "alice", "bob")
    code, out = mas("--lang", "zh-cn", "broker", "group", "add", "desk", "--members", "alice,bob",
                    "--allocation", "equty")
    assert code == 2
    assert "组 desk：未知的分配方式 'equty'（您是指 'equity' 吗？可用的值：" in out, out
    assert not english_left(out, ["equty", "desk"]), out


def test_a_group_member_without_a_profile_and_a_bad_per_account_value():
    _sim_profiles(1, "alice")
    code, out = mas("--lang", "zh-tw", "broker", "group", "add", "desk", "--members", "alice,bobb")
    assert code == 2 and "群組 desk：沒有券商設定檔 'bobb'" in out and "mas broker add bobb ..." in out, out
    code, out = mas("--lang", "zh-tw", "broker", "group", "add", "desk", "--members", "alice",
                    "--per-account-max-lots", "alice=two")
    assert code == 2 and "--per-account-max-lots：'alice=two' 不是「成員=數字」" in out, out


def test_an_unknown_group_in_allocate_is_answered_in_chinese():
    code, out = mas("--lang", "zh-tw", "broker", "group", "allocate", "nodesk", "--volume", "1", "--symbol", "EURUSD")
    assert code != 0
    assert "中沒有帳戶群組 'nodesk'" in out and "mas broker group add nodesk --members a,b" in out, out


def test_a_bad_profile_field_in_broker_add_is_answered_in_chinese():
    code, out = mas("--lang", "zh-tw", "broker", "add", "alice", "--terminal", "mt4", "--server", "X", "--login", "7")
    assert code == 2 and "設定檔 alice：terminal 必須是 mt5, mt5linux, sim 之一，收到 'mt4'" in out, out
    code, out = mas("--lang", "zh-cn", "broker", "add", "alice", "--server", "X", "--login", "7",
                    "--trading-hours", "Mon-Fri 7-20")
    assert code == 2 and "配置 alice：trading_hours 'Mon-Fri 7-20'：无法解析 'Mon-Fri 7-20'" in out, out
    assert not english_left(out, ["Mon-Fri 7-20", "alice"]), out


def test_group_backtest_accounts_errors_are_answered_in_chinese():
    code, out = mas("--lang", "zh-tw", "broker", "group", "backtest", "adhoc", "ma", "--accounts", "alice=10000:x")
    assert code == 2
    assert "--accounts：'10000:x'：入金必須是數字，槓桿必須是整數（例如 10000:100）" in out, out


def test_a_wrong_sim_server_password_is_answered_in_chinese(start_server, monkeypatch):  # noqa: F811 - fixture
    server = start_server()
    _sim_profiles(server.port, "alice")
    monkeypatch.setenv("MAS_PASSWORD_ALICE", "right-pass")
    code, out = mas("broker", "test", "alice")  # the first login creates the paper account with this password
    assert code == 0, out
    monkeypatch.setenv("MAS_PASSWORD_ALICE", "wrong-pass")
    code, out = mas("--lang", "zh-tw", "broker", "test", "alice")
    assert code == 1
    assert "mas broker test alice：登入失敗：-6：驗證失敗（請檢查帳號與密碼）" in out, out
    assert "wrong-pass" not in out
    code, out = mas("broker", "test", "alice")
    assert code == 1 and "login failed: -6: Authorization failed" in out, out


def test_set_lang_turns_a_refused_sim_login_into_chinese(start_server):  # noqa: F811 - fixture
    from mas import MAS

    server = start_server()
    target = {"terminal": f"sim://127.0.0.1:{server.port}", "server": "MAS-Sim", "account": 1001}
    first = MAS()
    assert first.login({**target, "password": "right-pass"}), first.last_error()
    first.shutdown_mt5()
    client = MAS()
    client.set_lang("zh-cn")
    assert not client.login({**target, "password": "wrong-pass"})
    code, text = client.last_error()
    assert code == -6 and "验证失败（请检查账号和密码）" in text and "1001" in text, text


# ---------------------------------------------------------------------- the errors themselves
def test_copier_settings_errors_localize_with_the_users_value():
    with pytest.raises(CopierError) as caught:
        CopierSettings(master="boss", followers=(FollowerSpec("alice"),), poll_ms=3)
    assert str(caught.value) == "--poll-ms must be at least 10, got 3"
    assert localize(caught.value, "zh-tw") == "--poll-ms 至少為 10，收到 3"
    with pytest.raises(CopierError) as caught:
        CopierSettings(master="boss", followers=(FollowerSpec("boss"),))
    assert localize(caught.value, "zh-cn") == "主账户 boss 不能同时是跟单账户"
    with pytest.raises(CopierError) as caught:
        parse_followers("alice,bob:abc")
    assert str(caught.value) == "follower bob: multiplier: expected a number above 0, got 'abc'"
    assert localize(caught.value, "zh-tw") == "跟單帳戶 bob：倍數：應為大於 0 的數字，收到 'abc'"
    with pytest.raises(CopierError) as caught:
        parse_symbol_map(["EURUSD"])
    assert localize(caught.value, "zh-tw").startswith("--map 'EURUSD'：格式應為 MASTER=FOLLOWER")


def test_allocation_errors_localize_and_stay_value_errors():
    accounts = [AccountSnapshot("alice", 1000.0, 1000.0, 1000.0), AccountSnapshot("bob", 0.0, 0.0, 0.0)]
    with pytest.raises(ValueError) as caught:
        allocate("equity", -1, accounts)
    assert isinstance(caught.value, AllocationError)
    assert str(caught.value) == "volume must be above 0 lots, got -1"
    assert localize(caught.value, "zh-tw") == "手數必須大於 0，收到 -1"
    with pytest.raises(AllocationError) as caught:
        allocate("risk", 1, accounts, risk_percent=150, stop_distance=0.001)
    assert localize(caught.value, "zh-cn") == "risk：risk_percent 必须大于 0 且不超过 100，收到 150"


def test_a_group_wrapping_another_error_translates_both_parts():
    with pytest.raises(GroupError) as caught:
        AccountGroup("desk", ("alice",), max_lots={"alice": "lots"})
    assert str(caught.value) == "group desk: max_lots.alice: expected a number, got 'lots'"
    assert localize(caught.value, "zh-tw") == "群組 desk：max_lots.alice：應為數字，收到 'lots'"
    again = pickle.loads(pickle.dumps(caught.value))  # a worker process's error keeps its language
    assert localize(again, "zh-cn") == "组 desk：max_lots.alice：应为数字，收到 'lots'"


def test_profile_and_guard_errors_localize():
    with pytest.raises(ProfileError) as caught:
        BrokerProfile(name="alice", terminal="sim", server="S", login=1, trading_hours="Mon-Fry 07:00-20:00")
    assert str(caught.value) == ("profile alice: trading_hours 'Mon-Fry 07:00-20:00': 'Fry' is not a day "
                                 "(use Mon Tue Wed Thu Fri Sat Sun)")
    assert localize(caught.value, "zh-tw") == ("設定檔 alice：trading_hours 'Mon-Fry 07:00-20:00'：'Fry' 不是星期名稱"
                                               "（請使用 Mon Tue Wed Thu Fri Sat Sun）")
    with pytest.raises(ValueError) as caught:
        TradingHours.parse("Mon 25:00-26:00")
    assert localize(caught.value, "zh-cn").startswith("trading_hours 'Mon 25:00-26:00'：25:00 不是有效的时间")


def test_a_sim_server_accounts_file_error_localizes(tmp_path):
    from mas.live.simserver.passwords import format_hash, hash_password

    salt, digest = hash_password("pw")
    path = tmp_path / "accounts.toml"
    path.write_text(f'[[account]]\nlogin = 5\npassword_hash = "{format_hash(salt, digest)}"\nbalance = -3\n')
    with pytest.raises(ValueError) as caught:
        load_accounts_file(path)
    assert str(caught.value) == f"{path}: account 1 (login 5): balance must be a positive number, got -3"
    assert localize(caught.value, "zh-tw") == f"{path}：第 1 個帳戶（帳號 5）：balance 必須是正數，收到 -3"
    path.write_text('[[account]]\nlogin = 5\npassword_hash = "plain"\n')
    with pytest.raises(ValueError) as caught:
        load_accounts_file(path)
    assert localize(caught.value, "zh-cn").startswith(f"{path}：第 1 个账户（账号 5）：password_hash：格式应为")


def test_parse_accounts_errors_localize():
    with pytest.raises(GroupError) as caught:
        parse_accounts("10000:100,5000:50", ["alice"])
    assert str(caught.value).startswith("--accounts: 2 account(s) given for 1 member(s) (alice)")
    assert localize(caught.value, "zh-tw").startswith("--accounts：指定了 2 個帳戶，但有 1 個成員（alice）")


def test_a_group_guard_refusal_and_unreadable_members_localize():
    from types import SimpleNamespace

    from mas.groups.accounts import MemberError
    from mas.groups.guards import group_refusal

    class Member:
        """A member's terminal with one open position of 0.5 lots and no pending order."""

        def positions_get(self):
            return [SimpleNamespace(volume=0.5)]

        def orders_get(self):
            return []

    group = AccountGroup("desk", ("alice", "bob"), max_total_lots=1.0)
    why = group_refusal(group, {"alice": Member(), "bob": Member()}, [("alice", 0.2), ("bob", 0.2)])
    assert why == ("group guard max_total_lots of group desk: 1 lots open across the members plus 0.4 is above the "
                   "limit of 1 lots")
    assert localize(why, "zh-tw") == ("群組 desk 的風控 max_total_lots：成員合計已持有 1 手，加上新的 0.4 手"
                                      "超過上限 1 手")
    error = MemberError("desk", {"alice": Text("simsrv_auth_failed"), "bob": "timed out"})
    assert str(error) == "group desk: cannot read 2 member(s): alice: Authorization failed; bob: timed out"
    assert localize(error, "zh-cn") == "组 desk：无法读取 2 个成员：alice：验证失败; bob：timed out"


def test_the_copier_command_says_its_errors_in_the_chosen_language():
    import subprocess
    import sys

    args = [sys.executable, "-m", "mas", "--lang", "zh-tw", "copy", "start", "--master", "nosuch", "--followers",
            "other"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "mas copy start: 沒有券商設定檔 nosuch, other" in done.stderr, done.stderr
