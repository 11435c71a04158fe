"""The active account in a real Chromium (Playwright over Debian's /usr/bin/chromium) against a real `mas sim serve`
started by the test, with no strategy running: log in with the printed URL, add a paper profile and switch to it,
open a position from another program on that account (the terminal), see it appear on the page by itself (the
account stream), refuse the close once, close it after confirming and see it gone, its entry and exit among the
recent deals. The password never reaches the page, its storage or its cookies. Screenshots go to
$MAS_TEST_ARTIFACTS/web."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from live.conftest import ServerProcess, other_program
from mas.terminal import constants as c

from .conftest import CHROMIUM
from .server import running_ui
from .test_browser import open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (apt-get install chromium)"),
]

PASSWORD = "Browser-Account-Pa55-Saffron"
LOGIN = 7331


@pytest.fixture
def sim() -> Iterator[ServerProcess]:
    server = ServerProcess()
    yield server
    server.kill()


def open_position(port: int) -> int:
    """A market buy sent by another program on the paper account; the position's ticket."""
    term = other_program(port, LOGIN, PASSWORD)
    try:
        tick = term.symbol_info_tick("EURUSD")
        result = term.order_send({"action": c.TRADE_ACTION_DEAL, "symbol": "EURUSD", "type": c.ORDER_TYPE_BUY,
                                  "volume": 0.2, "price": tick.ask, "deviation": 10, "magic": 7, "comment": "terminal",
                                  "type_filling": c.ORDER_FILLING_FOK, "type_time": c.ORDER_TIME_GTC})
        assert result.retcode == c.TRADE_RETCODE_DONE, result
        return int(next(p.ticket for p in term.positions_get(symbol="EURUSD") if p.identifier == result.order))
    finally:
        term.shutdown()


def stored_in_browser(page) -> str:
    """Everything the page keeps: its local and session storage and the cookies its script can read."""
    return json.dumps(page.evaluate("""() => ({local: {...localStorage}, session: {...sessionStorage},
                                              cookies: document.cookie})"""))


def test_the_active_account_shows_a_position_without_a_strategy_and_closes_it_after_confirming(
        isolated_mas_home, artifacts, chromium, sim):
    problems: list[str] = []
    external: list[str] = []
    with running_ui(isolated_mas_home, env={"MAS_PASSWORD_PAPER": PASSWORD}) as url:
        page = open_page(chromium, url, problems, external)
        answers: list[bool] = []  # the user's answer to each confirmation, in order
        asked: list[str] = []

        def confirm(dialog) -> None:
            asked.append(dialog.message)
            dialog.accept() if answers.pop(0) else dialog.dismiss()

        page.on("dialog", confirm)
        page.click("header nav button[data-page='live']")
        page.fill("#b-name", "paper")
        page.fill("#b-login", str(LOGIN))
        page.fill("#b-port", str(sim.port))
        page.click("#b-add")
        row = "#brokers-table tr[data-profile='paper']"
        page.wait_for_selector(row)
        assert page.is_hidden("#account-view")  # no active account yet
        page.click(f"{row} button[data-activate='paper']")
        page.wait_for_selector(f"{row}[data-active='1']")
        page.wait_for_selector(f"#account-view:not([hidden])[data-connected='1'] #account-title:has-text('#{LOGIN}')")
        assert "10,000.00 USD" in page.inner_text("#account-figures .kpi[data-key='balance']")

        ticket = open_position(sim.port)
        position = f"#account-positions tbody tr[data-ticket='{ticket}']"
        page.wait_for_selector(position)  # pushed by the server: the page did not reload or ask
        assert page.locator("#live-runs tbody tr").count() == 0  # no strategy runs
        cells = page.locator(f"{position} td").all_inner_texts()
        assert cells[2] == "EURUSD" and cells[3] == "buy" and cells[4] == "0.2"
        page.wait_for_selector(f"#account-deals tbody tr:has-text('{ticket}')")
        page.screenshot(path=str(artifacts / "account-position-open.png"), full_page=True)

        answers.append(False)  # the user thinks again: nothing is sent
        page.click(f"{position} button[data-close='{ticket}']")
        assert f"Close position {ticket}" in asked[0] and "EURUSD" in asked[0] and "0.2" in asked[0]
        version = page.get_attribute("#account-view", "data-version")
        page.wait_for_selector(f"#account-view:not([data-version='{version}'])")  # a later update came in
        assert page.locator(position).count() == 1

        answers.append(True)
        page.click(f"{position} button[data-close='{ticket}']")
        page.wait_for_selector(position, state="detached")
        page.wait_for_function(f"""() => [...document.querySelectorAll('#account-deals tbody tr')]
            .filter((tr) => tr.children[2].textContent === '{ticket}').length === 2""")
        exit_row = page.locator("#account-deals tbody tr").first.all_inner_texts()
        assert "out" in exit_row[0] and "sell" in exit_row[0]
        assert page.is_hidden("#account-error")
        page.screenshot(path=str(artifacts / "account-position-closed.png"), full_page=True)

        assert PASSWORD not in page.content() and PASSWORD not in stored_in_browser(page)
        assert answers == [] and len(asked) == 2
    assert problems == [] and external == []
