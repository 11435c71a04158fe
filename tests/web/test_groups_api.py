"""Account groups in the web app: the groups listed, and a group's consolidated status read from two real
``mas sim serve`` brokers equal to what each account says (per account and summed); no credential in any answer."""

from __future__ import annotations

from groups.sim_group import STILL, Reader, Recorder, add_members
from live.conftest import server_process  # noqa: F401 - fixture
from mas.groups.store import AccountGroup, add_group

MONEY = ("balance", "equity", "margin", "margin_free", "profit")


def test_groups_are_listed_and_a_groups_status_sums_its_accounts(session, server_process, monkeypatch):  # noqa: F811
    assert session.get("/api/groups").json() == []
    first, second = server_process(speed=STILL), server_process(speed=STILL)
    layout = [("alice", first.port, 1001), ("bob", second.port, 2001)]
    add_members(monkeypatch, layout)
    add_group(AccountGroup("desk", ("alice", "bob"), "multiplier", multipliers={"alice": 1.0, "bob": 0.5}))
    trader = Recorder()
    assert trader.login({"group": "desk"}), trader.last_error()
    assert trader.send_order({"symbol": "EURUSD", "order_type": "buy", "volume": 0.4, "client_order_id": "P",
                              "backtest_toggle": False}) == "P"
    reader = Reader(layout)
    try:
        listed = session.get("/api/groups").json()
        assert listed == [{"name": "desk", "members": ["alice", "bob"], "allocation": "multiplier"}]
        response = session.get("/api/groups/desk/status")
        assert response.status_code == 200, response.text
        report = response.json()
        accounts = {a["profile"]: a for a in report["accounts"]}
        for name, terminal in reader.terminals.items():
            info = terminal.account_info()
            for key in MONEY:
                assert accounts[name][key] == round(getattr(info, key), 2), (name, key)
            assert accounts[name]["positions"] == len(reader.positions(name)) == 1
        for key in MONEY:
            assert report["totals"][key] == round(sum(accounts[n][key] for n in accounts), 2), key
        (eurusd,) = report["exposure"]
        assert eurusd["symbol"] == "EURUSD" and eurusd["long_lots"] == 0.6 and eurusd["net_lots"] == 0.6
        text = response.text + session.get("/api/groups").text
        assert "pw-alice" not in text and "pw-bob" not in text
    finally:
        reader.close()
        trader.shutdown_mt5()


def test_an_unknown_group_or_a_bad_name_is_refused_with_the_reason(session):
    response = session.get("/api/groups/nosuch/status")
    assert response.status_code == 422 and "nosuch" in response.json()["detail"]
    assert session.get("/api/groups/..%2Fetc/status").status_code in (404, 422)
