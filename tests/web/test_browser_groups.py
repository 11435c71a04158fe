"""Account groups on the brokers page in a real Chromium: the group listed, and its status read from two real
``mas sim serve`` brokers shown per account and summed, equal to the API's figures; in English and Chinese."""

from __future__ import annotations

import os

import pytest

from groups.sim_group import STILL, add_members
from live.conftest import server_process  # noqa: F401 - fixture
from mas.groups.store import AccountGroup, add_group

from .conftest import CHROMIUM
from .server import running_ui
from .test_browser import open_page, shown

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]


def test_a_groups_status_in_the_page(isolated_mas_home, server_process, monkeypatch, artifacts,  # noqa: F811
                                     chromium):
    first, second = server_process(speed=STILL), server_process(speed=STILL)
    add_members(monkeypatch, [("alice", first.port, 1001), ("bob", second.port, 2001)])
    add_group(AccountGroup("desk", ("alice", "bob"), "equity"))
    problems: list[str] = []
    external: list[str] = []
    passwords = {k: v for k, v in os.environ.items() if k.startswith("MAS_PASSWORD_")}
    with running_ui(isolated_mas_home, env=passwords) as url:
        origin = url.split("/?")[0]
        page = open_page(chromium, url, problems, external)
        page.click("nav button[data-page='live']")
        page.wait_for_selector("#groups-table tr[data-group='desk']")
        assert page.inner_text("#groups-table tr[data-group='desk'] td:nth-child(2)") == "alice, bob"
        page.click("#groups-table tr[data-group='desk'] button")
        page.wait_for_selector("#group-accounts tr[data-account='bob']")
        report = page.request.get(origin + "/api/groups/desk/status").json()
        for account in report["accounts"]:
            cell = page.locator(f"#group-accounts tr[data-account='{account['profile']}'] td[data-key='equity']")
            assert float(cell.get_attribute("data-value")) == account["equity"]
            assert cell.inner_text() == shown(account["equity"], 2)
        rows = page.locator("#group-accounts tbody tr")
        assert rows.count() == 3  # two accounts and the total
        total = rows.nth(2).locator("td[data-key='balance']")
        assert float(total.get_attribute("data-value")) == report["totals"]["balance"] == 20_000.0
        assert "pw-alice" not in page.content() and "pw-bob" not in page.content()
        page.screenshot(path=str(artifacts / "groups-status.png"), full_page=True)
        page.select_option("#lang", "zh-tw")
        page.wait_for_selector("#groups-panel h2:text-is('帳戶群組')")
    assert problems == [] and external == []
