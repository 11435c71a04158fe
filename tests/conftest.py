"""Fixtures of every test: no test reads the user's data store, broker passwords or report folder; and the headless
Chromium (with a folder for its screenshots) that the report and web app browser tests share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (``apt-get install chromium``): the browser tests never download one."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: needs headless Chromium (/usr/bin/chromium); skipped without it")


@pytest.fixture(autouse=True)
def isolated_mas_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``MAS_HOME`` and ``MAS_REPORT_DIR`` in the test's own folder; no ``MAS_PASSWORD_*`` from the caller. Returns
    the home."""
    home = tmp_path / "mas_home"
    monkeypatch.setenv("MAS_HOME", str(home))
    monkeypatch.setenv("MAS_REPORT_DIR", str(tmp_path / "reports"))
    for name in [k for k in os.environ if k.startswith("MAS_PASSWORD_")]:
        monkeypatch.delenv(name)
    return home


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium driven by Playwright (never ``playwright install``), headless; SwiftShader lets the report
    pages' canvases draw without a GPU."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                          "--enable-unsafe-swiftshader"])
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def artifacts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a browser test's screenshots go: ``$MAS_TEST_ARTIFACTS/<the test's folder>`` (``reports``, ``web``), else
    a tmp dir."""
    folder = request.path.parent.name
    root = os.environ.get("MAS_TEST_ARTIFACTS")
    path = Path(root) / folder if root else tmp_path_factory.mktemp(f"{folder}_artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path
