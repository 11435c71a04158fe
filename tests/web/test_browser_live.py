"""Paper trading in a real Chromium (Playwright over Debian's /usr/bin/chromium) against a real `mas sim serve`
started by the test: add a profile with risk guards, switch the active account in one click, start a strategy
that buys and holds, see the position appear without reloading (server-sent events, no polling), refuse the
close once, then close it after confirming, and stop. Screenshots go to $MAS_TEST_ARTIFACTS/web."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from live.conftest import ServerProcess

from .conftest import CHROMIUM
from .server import running_ui
from .test_browser import open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

PASSWORD = "Browser-Live-Pa55-Ochre"
LOGIN = 7305


@pytest.fixture
def sim() -> Iterator[ServerProcess]:
    server = ServerProcess()
    yield server
    server.kill()


def test_switch_account_trade_on_paper_watch_the_position_and_close_it_after_confirming(isolated_mas_home, artifacts,
                                                                                        chromium, sim):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home, env={"MAS_PASSWORD_PAPER": PASSWORD}) as url:
        page = open_page(chromium, url, problems, external)
        answers: list[bool] = []  # what the user answers to each confirmation, in order
        asked: list[str] = []

        def confirm(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if answers.pop(0) else dialog.dismiss()

        page.on("dialog", confirm)
        polls: list[str] = []
        page.on("request", lambda r: polls.append(r.url) if re.search(r"/api/live/[0-9a-f]{32}$", r.url) else None)

        for name, value in (("period", "2"), ("oversold", "99.9"), ("overbought", "100")):  # buys and holds
            page.fill(f"li[data-builtin='rsi'] input[data-param='{name}']", value)
        page.click("li[data-builtin='rsi'] button")
        page.wait_for_selector("#page-backtest:not([hidden])")
        page.click("header nav button[data-page='live']")
        page.fill("#b-name", "paper")
        page.fill("#b-login", str(LOGIN))
        page.fill("#b-port", str(sim.port))
        page.fill("#b-max-lots", "1")
        page.fill("#b-max-positions", "3")
        page.click("#b-add")
        row = "#brokers-table tr[data-profile='paper']"
        page.wait_for_selector(row)
        assert "max_lots=1 max_positions=3" in page.inner_text(row)
        assert page.is_hidden("#account-chip")

        page.click(f"{row} button[data-activate='paper']")  # one click: the active account
        page.wait_for_selector(f"{row}[data-active='1']")
        page.wait_for_selector(f"#account-chip:has-text('#{LOGIN}')")
        assert "10,000.00 USD" in page.inner_text("#account-chip")
        assert PASSWORD not in page.content()
        assert page.input_value("#live-profile") == "paper"
        assert "max_lots=1 max_positions=3" in page.inner_text("#live-guards")

        page.fill("#live-interval", "100")
        page.fill("#live-warmup", "5")
        answers.append(True)
        page.click("#live-start")
        page.wait_for_selector("#live-view:not([hidden])[data-running='1'][data-stream='open']")
        assert "max_lots=1 max_positions=3" in asked[0]  # the start confirmation names the guards
        assert "max_lots=1 max_positions=3" in page.inner_text("#live-view-guards")
        position = page.wait_for_selector("#live-positions tbody tr[data-ticket]")
        ticket = position.get_attribute("data-ticket")
        page.wait_for_selector("#live-journal tbody tr[data-entry]")
        page.screenshot(path=str(artifacts / "live-sse-position.png"), full_page=True)

        answers.append(False)  # the user thinks again: nothing is sent
        page.click(f"#live-positions button[data-close='{ticket}']")
        assert f"Close position {ticket}" in asked[1] and "EURUSD" in asked[1]
        versions = page.get_attribute("#live-view", "data-version")
        page.wait_for_selector(f"#live-view:not([data-version='{versions}'])")  # a later update came in
        assert page.locator(f"#live-positions tbody tr[data-ticket='{ticket}']").count() == 1

        answers.append(True)
        page.click(f"#live-positions button[data-close='{ticket}']")
        page.wait_for_selector(f"#live-positions tbody tr[data-ticket='{ticket}']", state="detached")
        page.wait_for_selector("#live-journal tbody tr:has-text('mas ui close')")
        page.screenshot(path=str(artifacts / "live-sse-closed.png"), full_page=True)

        page.click("#live-runs button[data-stop]")
        page.wait_for_selector("#live-view[data-running='0'][data-stream='ended']")
        assert polls == []  # every update came over the stream: the page never polled the run
        assert answers == []
    assert problems == [] and external == []
